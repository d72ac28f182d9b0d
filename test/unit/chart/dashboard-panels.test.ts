import { describe, expect, it } from 'vitest';

import { allDashboards } from '../../../dashboards/all-dashboards.js';
import { buildDashboard } from '../../../dashboards/build-dashboard.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { OperatorMetrics } from '../../../operator/observability/operator-metrics.js';

interface PanelJson {
  type: string;
  title?: string;
  description?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
}

/** Every metric name a node or the operator really exposes (histograms as their _bucket/_count/_sum series). */
async function exposedSeriesNames(): Promise<Set<string>> {
  const node = new Metrics({ connections: () => 0, users: () => 0, subscriptions: () => 0, channels: () => 0 });
  const operator = new OperatorMetrics();
  const names = new Set<string>();
  for (const metric of [...(await node.registry.getMetricsAsJSON()), ...(await operator.registry.getMetricsAsJSON())]) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(metric.name + suffix);
  }
  return names;
}

const PROMQL_KEYWORDS = new Set(['sum', 'by', 'rate', 'increase', 'max', 'count', 'histogram_quantile', 'le', 'label_values']);

describe('the dashboards as Grafana JSON', () => {
  for (const spec of allDashboards) {
    const json = buildDashboard(spec) as unknown as { uid: string; panels: PanelJson[]; templating: { list: { name: string }[] } };
    const panels = json.panels.filter((panel) => panel.type !== 'row');

    it(`${spec.title}: every panel has a title, a description, a unit and Prometheus queries on the chosen data source`, () => {
      expect(json.uid).toBe(spec.uid);
      expect(panels.length).toBeGreaterThan(0);
      for (const panel of panels) {
        expect(panel.title, JSON.stringify(panel)).toBeTruthy();
        expect(panel.description, panel.title).toBeTruthy();
        expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.expr, panel.title).toBeTruthy();
          expect(target.datasource?.uid, panel.title).toBe('${datasource}');
        }
      }
      expect(json.templating.list.map((v) => v.name)).toEqual(['datasource', ...spec.variables.map((v) => v.name)]);
    });

    it(`${spec.title}: queries only name metrics that Ringcast exposes`, async () => {
      const exposed = await exposedSeriesNames();
      const exprs = [...panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr ?? '')), ...spec.variables.map((v) => v.query)];
      for (const expr of exprs) {
        // Metric names stand before a `{` selector, or first in label_values(metric, label).
        const names = [
          ...[...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1] ?? ''),
          ...[...expr.matchAll(/label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/g)].map((m) => m[1] ?? ''),
        ].filter((name) => !PROMQL_KEYWORDS.has(name));
        expect(names.length, expr).toBeGreaterThan(0);
        for (const name of names) expect(exposed.has(name), `${name} in ${expr}`).toBe(true);
      }
    });
  }
});

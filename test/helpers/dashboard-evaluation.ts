// Evaluates every dashboard's PromQL (panels and variables) and the prometheus-adapter rule on a real Prometheus,
// with the dashboards' variables set to one namespace and RealtimeCluster; returns what did not answer.
import { parse } from 'yaml';

import { allDashboards } from '../../dashboards/all-dashboards.js';
import { allPanels } from '../../dashboards/dashboard-spec.js';
import type { PrometheusProcess } from './prometheus-process.js';

export interface EvaluationTarget {
  readonly namespace: string;
  readonly realtimecluster: string;
  /** Namespace the operator's series carry (its pod's). */
  readonly operatorNamespace: string;
  /** prometheus-adapter's config.yaml as the chart renders it. */
  readonly adapterRulesYaml: string;
  /** Node pods the HPA asks the adapter about. */
  readonly pods: readonly string[];
  /** What Grafana's $__rate_interval stands for (4 × the scrape interval or more). */
  readonly rateInterval: string;
}

export async function evaluateDashboardQueries(prometheus: PrometheusProcess, target: EvaluationTarget): Promise<{ evaluated: number; failures: string[] }> {
  const failures: string[] = [];
  let evaluated = 0;
  for (const dashboard of allDashboards) {
    const operatorDashboard = dashboard.variables.every((v) => v.name !== 'realtimecluster');
    const namespace = operatorDashboard ? target.operatorNamespace : target.namespace;
    const substitute = (expr: string): string =>
      expr.replaceAll('$__rate_interval', target.rateInterval).replaceAll('$namespace', namespace).replaceAll('$realtimecluster', target.realtimecluster);
    for (const variable of dashboard.variables) {
      evaluated++;
      const match = /^label_values\((.*),\s*(\w+)\)$/.exec(substitute(variable.query));
      if (!match) {
        failures.push(`${dashboard.title} variable ${variable.name}: not label_values(series, label): ${variable.query}`);
        continue;
      }
      const response = await fetch(`${prometheus.url}/api/v1/label/${match[2]}/values?${new URLSearchParams({ 'match[]': match[1] ?? '' })}`, {
        signal: AbortSignal.timeout(30_000),
      });
      const values = ((await response.json()) as { data?: string[] }).data ?? [];
      const expected = variable.name === 'realtimecluster' ? target.realtimecluster : namespace;
      if (!values.includes(expected)) failures.push(`${dashboard.title} variable ${variable.name}: ${JSON.stringify(values)} lacks ${expected}`);
    }
    for (const panel of allPanels(dashboard)) {
      for (const query of panel.queries) {
        evaluated++;
        try {
          const series = await prometheus.query(substitute(query.expr));
          if (series.length === 0) failures.push(`${dashboard.title} / ${panel.title}: no series for ${query.expr}`);
        } catch (error) {
          failures.push(`${dashboard.title} / ${panel.title}: ${(error as Error).message}`);
        }
      }
    }
  }
  // The adapter rule: its series query, and its metrics query as prometheus-adapter expands it for the HPA.
  const rules = (parse(target.adapterRulesYaml) as { rules: { seriesQuery: string; metricsQuery: string }[] }).rules;
  for (const rule of rules) {
    const expanded = rule.metricsQuery
      .replace('<<.Series>>', 'ringcast_node_connections')
      .replace('<<.LabelMatchers>>', `namespace="${target.namespace}",pod=~"${target.pods.join('|')}"`)
      .replace('<<.GroupBy>>', 'pod');
    for (const expr of [rule.seriesQuery, expanded]) {
      evaluated++;
      try {
        const series = await prometheus.query(expr);
        if (series.length === 0) failures.push(`adapter rule: no series for ${expr}`);
        if (expr === expanded && series.length !== target.pods.length) failures.push(`adapter rule: ${series.length} series for ${target.pods.length} pods from ${expr}`);
      } catch (error) {
        failures.push(`adapter rule: ${(error as Error).message}`);
      }
    }
  }
  return { evaluated, failures };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { CHART_README, renderDashboardJson, renderReadmeSection, README_END, README_START } from '../../../dashboards/render-dashboards.js';

// Files the chart carries as copies or renderings: each must be what its source makes, or `make chart` was not run.
const root = join(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

describe('the chart is in step with its sources', () => {
  it('carries the CRD of crds/ unchanged', () => {
    const chartCopy = read('charts/ringcast/crds/realtimeclusters.ringcast.dev.yaml');
    expect(chartCopy, 'charts/ringcast/crds/ differs from crds/: run `make chart`').toBe(read('crds/realtimeclusters.ringcast.dev.yaml'));
  });

  it('carries the dashboards exactly as dashboards/*.ts render them', () => {
    const rendered = renderDashboardJson();
    expect(rendered.size).toBe(3);
    for (const [path, content] of rendered) {
      expect(read(path), `${path} is not what dashboards/*.ts render: run \`make chart\``).toBe(content);
    }
  });

  it('lists every dashboard panel in the chart README', () => {
    const readme = read(CHART_README);
    const section = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END) + README_END.length);
    expect(section, `the dashboards section of ${CHART_README} is stale: run \`make chart\``).toBe(renderReadmeSection());
  });
});

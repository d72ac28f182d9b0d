// `make dashboards`: renders the dashboards to JSON into the chart and refreshes the chart README's panel list.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHART_README, renderDashboardJson, withReadmeSection } from './render-dashboards.js';

const root = fileURLToPath(new URL('../', import.meta.url));
for (const [path, content] of renderDashboardJson()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  process.stdout.write(`wrote ${path}\n`);
}
const readmePath = join(root, CHART_README);
writeFileSync(readmePath, withReadmeSection(readFileSync(readmePath, 'utf8')));
process.stdout.write(`updated ${CHART_README}\n`);

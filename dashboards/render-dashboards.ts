// What `make dashboards` writes: each dashboard's JSON under charts/ringcast/dashboards/ and the panel list in the
// chart README (between the dashboards markers). Pure: the tests compare this with the committed files.
import { buildDashboard } from './build-dashboard.js';
import { allDashboards } from './all-dashboards.js';
import { allPanels } from './dashboard-spec.js';

export const DASHBOARDS_DIR = 'charts/ringcast/dashboards';
export const CHART_README = 'charts/ringcast/README.md';
export const README_START = '<!-- dashboards:start (written by `make dashboards` from dashboards/*.ts) -->';
export const README_END = '<!-- dashboards:end -->';

/** File path (relative to the repository) → content, for every dashboard JSON. */
export function renderDashboardJson(): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of allDashboards) files.set(`${DASHBOARDS_DIR}/${spec.file}`, `${JSON.stringify(buildDashboard(spec), null, 2)}\n`);
  return files;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The README section listing every dashboard and what each panel answers. */
export function renderReadmeSection(): string {
  const lines = [README_START];
  for (const spec of allDashboards) {
    lines.push('', `#### ${spec.title} (\`${spec.file}\`, uid \`${spec.uid}\`)`, '', spec.description, '', '| panel | unit | what it answers |', '|---|---|---|');
    for (const panel of allPanels(spec)) lines.push(`| ${cell(panel.title)} | \`${panel.unit}\` | ${cell(panel.description)} |`);
  }
  lines.push('', README_END);
  return lines.join('\n');
}

/** `readme` with its dashboards section replaced by the current one (the markers must be there). */
export function withReadmeSection(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`${CHART_README} lacks the dashboards markers ${README_START} … ${README_END}`);
  return readme.slice(0, start) + renderReadmeSection() + readme.slice(end + README_END.length);
}

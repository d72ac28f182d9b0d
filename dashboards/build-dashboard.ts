// Turns a DashboardSpec into Grafana dashboard JSON with the Grafana Foundation SDK's builders: a Prometheus
// data source variable, the spec's query variables (multi-select, "All" by default), one row per section and a
// 24-column grid filled left to right.
import { StackingConfigBuilder, StackingMode, VizLegendOptionsBuilder, LegendDisplayMode, LegendPlacement } from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

import type { DashboardSpec, PanelSpec } from './dashboard-spec.js';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const HEIGHT = { timeseries: 8, stat: 4 } as const;

function queries(panel: PanelSpec): DataqueryBuilder[] {
  return panel.queries.map((query, index) =>
    new DataqueryBuilder()
      .expr(query.expr)
      .legendFormat(query.legend)
      .refId(String.fromCharCode(65 + index))
      .datasource(DATASOURCE),
  );
}

function buildPanel(panel: PanelSpec, gridPos: { x: number; y: number; w: number; h: number }) {
  if (panel.kind === 'stat') {
    const builder = new StatPanelBuilder().title(panel.title).description(panel.description).unit(panel.unit).datasource(DATASOURCE).gridPos(gridPos);
    for (const query of queries(panel)) builder.withTarget(query);
    return builder;
  }
  const builder = new TimeseriesPanelBuilder()
    .title(panel.title)
    .description(panel.description)
    .unit(panel.unit)
    .datasource(DATASOURCE)
    .gridPos(gridPos)
    .min(0)
    .fillOpacity(panel.stacked ? 30 : 10)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Bottom).calcs(['lastNotNull', 'max']));
  if (panel.stacked) builder.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  for (const query of queries(panel)) builder.withTarget(query);
  return builder;
}

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const dashboard = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['ringcast'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'));
  for (const variable of spec.variables) {
    dashboard.withVariable(
      new QueryVariableBuilder(variable.name)
        .label(variable.label)
        .query(variable.query)
        .datasource(DATASOURCE)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ text: 'All', value: '$__all' }),
    );
  }
  let y = 0;
  for (const row of spec.rows) {
    dashboard.withRow(new RowBuilder(row.title).gridPos({ x: 0, y, w: 24, h: 1 }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      const w = panel.width ?? (panel.kind === 'stat' ? 6 : 12);
      const h = HEIGHT[panel.kind];
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      dashboard.withPanel(buildPanel(panel, { x, y, w, h }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return dashboard.build();
}

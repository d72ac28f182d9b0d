// What a Ringcast dashboard is made of, as plain data: the panels' queries, titles, descriptions and units. The
// builder (build-dashboard.ts) turns a spec into Grafana JSON with the Grafana Foundation SDK; the tests read the
// same specs to evaluate every query on a real Prometheus and to check the README's panel list.

export interface QuerySpec {
  /** PromQL; may use the dashboard's variables ($namespace, $realtimecluster) and $__rate_interval. */
  readonly expr: string;
  readonly legend: string;
}

export interface PanelSpec {
  readonly title: string;
  /** What the panel answers (shown in Grafana's panel info and listed in the chart README). */
  readonly description: string;
  /** A Grafana unit id (s, bytes, percentunit, short, bool) or a custom `suffix:…` unit. */
  readonly unit: string;
  readonly kind: 'timeseries' | 'stat';
  readonly queries: readonly QuerySpec[];
  /** Width in the 24-column grid; default 12 for time series, 6 for stats. */
  readonly width?: number;
  /** Stack the series (for parts of a whole). */
  readonly stacked?: boolean;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** label_values(...) query. */
  readonly query: string;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  /** File name under charts/ringcast/dashboards/. */
  readonly file: string;
  readonly description: string;
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
}

/** Label matchers selecting the node pods of the chosen namespaces and RealtimeClusters. */
export const NODE_SELECTOR = 'namespace=~"$namespace", realtimecluster=~"$realtimecluster"';

/** The node dashboards' variables: namespace, then the RealtimeClusters in it. */
export const NODE_VARIABLES: readonly VariableSpec[] = [
  { name: 'namespace', label: 'Namespace', query: 'label_values(ringcast_node_connections, namespace)' },
  {
    name: 'realtimecluster',
    label: 'RealtimeCluster',
    query: 'label_values(ringcast_node_connections{namespace=~"$namespace"}, realtimecluster)',
  },
];

/** p50, p95 and p99 of a histogram, per `by` label. */
export function percentiles(histogram: string, selector: string, by: string): QuerySpec[] {
  return [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le, ${by}) (rate(${histogram}_bucket{${selector}}[$__rate_interval])))`,
    legend: `p${Math.round(q * 100)} {{${by}}}`,
  }));
}

/** Every panel of a dashboard, in order. */
export function allPanels(dashboard: DashboardSpec): PanelSpec[] {
  return dashboard.rows.flatMap((row) => row.panels);
}

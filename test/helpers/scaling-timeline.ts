// The autoscaling tests' timeline: one sample a second of what a person watching the cluster would look at.

export interface ScalingSample {
  /** Seconds since the test started. */
  readonly t: number;
  /** ringcast_node_connections summed over the node pods' /metrics. */
  readonly connections: number;
  /** The HPA's current average of the metric, as it reports it. */
  readonly metric: string;
  readonly hpaDesired: number | undefined;
  /** spec.nodes.replicas of the RealtimeCluster (what the HPA wrote through /scale). */
  readonly specReplicas: number | undefined;
  readonly ready: number;
}

/** The samples as a table, one row per change (the first and last always shown). */
export function formatTimeline(title: string, samples: readonly ScalingSample[]): string {
  const key = (s: ScalingSample): string => `${s.connections} ${s.metric} ${s.hpaDesired} ${s.specReplicas} ${s.ready}`;
  const changes = samples.filter((s, i) => i === 0 || i === samples.length - 1 || key(s) !== key(samples[i - 1]!));
  const rows = changes.map(
    (s) =>
      `${String(s.t).padStart(5)}s  ${String(s.connections).padStart(11)}  ${s.metric.padStart(10)}  ${String(s.hpaDesired ?? '-').padStart(11)}  ${String(s.specReplicas ?? '-').padStart(8)}  ${String(s.ready).padStart(5)}`,
  );
  return `\n${title}\n     t  connections  hpa metric  hpa desired  replicas  ready\n${rows.join('\n')}\n`;
}

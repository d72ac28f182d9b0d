import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the operator knows of one RealtimeCluster, read from its cache when Prometheus scrapes. */
export interface ClusterGauges {
  readonly namespace: string;
  readonly name: string;
  /** spec.nodes.replicas: what the autoscaler (or the user) asked for. */
  readonly desiredNodes: number;
  /** status.nodes.ready as last written. */
  readonly readyNodes: number;
  /** status.connections: the sum of the ready nodes' ringcast_node_connections. */
  readonly connections: number;
}

/** Every metric of the operator, on a registry of its own (no global state). */
export class OperatorMetrics {
  readonly registry = new Registry();
  private readonly registers = [this.registry];
  private clusterGauges: () => Iterable<ClusterGauges> = () => [];

  /** The per-cluster gauges' source (the RealtimeCluster cache); read at scrape time, so deleted clusters vanish. */
  reportClusters(source: () => Iterable<ClusterGauges>): void {
    this.clusterGauges = source;
  }

  readonly reconciles = new Counter({
    name: 'ringcast_operator_reconciles_total',
    help: 'Reconciles of RealtimeClusters, by result (success or error).',
    labelNames: ['result'] as const,
    registers: this.registers,
  });
  readonly reconcileErrors = new Counter({
    name: 'ringcast_operator_reconcile_errors_total',
    help: 'Reconciles that failed and will be retried with backoff.',
    registers: this.registers,
  });
  readonly reconcileDuration = new Histogram({
    name: 'ringcast_operator_reconcile_duration_seconds',
    help: 'Time to reconcile one RealtimeCluster.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: this.registers,
  });
  readonly queueDepth = new Gauge({
    name: 'ringcast_operator_queue_depth',
    help: 'RealtimeClusters waiting to be reconciled.',
    registers: this.registers,
  });
  readonly applies = new Counter({
    name: 'ringcast_operator_applies_total',
    help: 'Server-side applies of child objects, by kind (an unchanged child is not applied).',
    labelNames: ['kind'] as const,
    registers: this.registers,
  });
  readonly statusWrites = new Counter({
    name: 'ringcast_operator_status_writes_total',
    help: 'Writes of a RealtimeCluster status (an unchanged status is not written).',
    registers: this.registers,
  });
  readonly informerRestarts = new Counter({
    name: 'ringcast_operator_informer_restarts_total',
    help: 'Restarts of a list/watch, by kind and reason (closed, expired, watchdog, watch-error, list-error).',
    labelNames: ['kind', 'reason'] as const,
    registers: this.registers,
  });
  readonly isLeader = new Gauge({
    name: 'ringcast_operator_is_leader',
    help: '1 while this operator process holds the leader lease.',
    registers: this.registers,
  });
  readonly clusters = new Gauge({
    name: 'ringcast_operator_clusters',
    help: 'RealtimeClusters the operator watches.',
    registers: this.registers,
  });

  constructor() {
    const clusters = (): Iterable<ClusterGauges> => this.clusterGauges();
    // Labels name the cluster's namespace `cluster_namespace`: `namespace` is the scraped pod's own (the operator's).
    const labelNames = ['cluster_namespace', 'realtimecluster'] as const;
    new Gauge({
      name: 'ringcast_operator_cluster_nodes',
      help: 'Node pods of a RealtimeCluster: desired (spec.nodes.replicas, set by the autoscaler) and ready.',
      labelNames: [...labelNames, 'state'] as const,
      registers: this.registers,
      collect() {
        this.reset();
        for (const c of clusters()) {
          this.set({ cluster_namespace: c.namespace, realtimecluster: c.name, state: 'desired' }, c.desiredNodes);
          this.set({ cluster_namespace: c.namespace, realtimecluster: c.name, state: 'ready' }, c.readyNodes);
        }
      },
    });
    new Gauge({
      name: 'ringcast_operator_cluster_connections',
      help: "Client connections of a RealtimeCluster as its status reports them (the ready nodes' sum).",
      labelNames,
      registers: this.registers,
      collect() {
        this.reset();
        for (const c of clusters()) this.set({ cluster_namespace: c.namespace, realtimecluster: c.name }, c.connections);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'ringcast_operator_' });
  }
}

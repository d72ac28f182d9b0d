/** How the operator runs; parsed from flags and the environment by cli/operator-args.ts. */
export interface OperatorOptions {
  /** A kubeconfig file; undefined = in-cluster service account credentials. */
  kubeconfig?: string;
  /** Watch RealtimeClusters in this namespace only; undefined = every namespace. */
  watchNamespace?: string;
  /** Node image for clusters whose spec.image is empty. */
  nodeImage: string;
  /** DNS suffix of Services, for the shard addresses and endpoints (cluster.local). */
  clusterDomain: string;
  leaderElection: {
    enabled: boolean;
    namespace: string;
    name: string;
    identity: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  /** Address of /healthz, /readyz and /metrics. */
  opsHost: string;
  opsPort: number;
  logLevel: string;
  /** Every cluster is reconciled at least this often, whatever happens. */
  resyncMs: number;
  /** How often node pods' connection counts are read. */
  scrapeIntervalMs: number;
  /** How often external Redis shards are PINGed. */
  probeIntervalMs: number;
  /** Watch lifetime range and silence allowance (see src/kube/informer.ts). */
  watchTimeoutSeconds: { min: number; max: number };
  watchdogGraceMs: number;
  /** Reconciles handled at once. */
  concurrency: number;
  /**
   * FOR TESTS ONLY: the process kills itself with SIGKILL right after this many successful applies, to show that a
   * reconcile cut short converges when the operator comes back.
   */
  faultKillAfterApplies?: number;
}

import type { Logger } from 'pino';
import type { Informer } from '../../src/kube/informer.js';
import type { KubeClient } from '../../src/kube/kube-client.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import type { RealtimeClusterObject } from '../../src/kube/realtime-cluster.js';
import type { ExternalShardProber } from '../observe/external-shard-prober.js';
import type { NodeScraper } from '../observe/node-scraper.js';
import type { OperatorMetrics } from '../observability/operator-metrics.js';
import type { OperatorOptions } from '../operator-options.js';
import type { KindName } from './child-kinds.js';
import type { EventRecorder } from './event-recorder.js';

export const FIELD_MANAGER = 'ringcast-operator';

/** What a reconcile works with: the API, the informer caches, and the operator's observers. */
export interface ReconcileContext {
  client: KubeClient;
  clusters: Informer<RealtimeClusterObject>;
  children: Record<KindName, Informer<KubeObject>>;
  options: OperatorOptions;
  metrics: OperatorMetrics;
  recorder: EventRecorder;
  scraper: NodeScraper;
  prober: ExternalShardProber;
  logger: Logger;
  /** Counts successful applies (for the test-only fault injection). */
  noteApply(): void;
}

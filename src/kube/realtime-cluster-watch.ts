import type { Logger } from 'pino';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeClient } from './kube-client.js';
import { realtimeClustersPath } from './realtime-cluster-api.js';
import type { RealtimeClusterObject } from './realtime-cluster.js';

export interface RealtimeClusterWatchOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  logger: Logger;
  /** Watch timings (see Informer); defaults suit production. */
  timing?: Pick<InformerOptions, 'watchTimeoutSeconds' | 'watchdogGraceMs' | 'backoff'>;
}

/**
 * One RealtimeCluster, watched (a list and watch narrowed to its name, which is all a node's Role allows). The
 * ring source and the live configuration of a node share one of these.
 */
export class RealtimeClusterWatch {
  private readonly informer: Informer<RealtimeClusterObject>;
  private readonly listeners = new Set<(cluster: RealtimeClusterObject | undefined) => void>();
  private started = false;

  constructor(private readonly options: RealtimeClusterWatchOptions) {
    this.informer = new Informer<RealtimeClusterObject>({
      client: options.client,
      path: realtimeClustersPath(options.namespace),
      fieldSelector: `metadata.name=${options.name}`,
      logger: options.logger,
      ...options.timing,
    });
    const notify = () => {
      const current = this.current();
      for (const listener of this.listeners) listener(current);
    };
    this.informer.addHandlers({ onAdd: notify, onUpdate: notify, onDelete: notify });
  }

  get name(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.informer.start();
  }

  /** Resolves once the first list answered (the cluster may still be absent). */
  synced(): Promise<void> {
    return this.informer.waitForSync();
  }

  current(): RealtimeClusterObject | undefined {
    return this.informer.get(this.options.namespace, this.options.name);
  }

  /** Called with the cluster after every change seen (undefined once it is deleted). */
  onChange(listener: (cluster: RealtimeClusterObject | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.informer.stop();
  }
}

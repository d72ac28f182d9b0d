import type { Logger } from 'pino';
import { sameShards, type Ring } from '../sharding/ring.js';
import type { ShardSource } from '../sharding/shard-source.js';
import { parseStatus, type RealtimeClusterObject } from './realtime-cluster.js';
import type { RealtimeClusterWatch } from './realtime-cluster-watch.js';

/** The ring a RealtimeCluster's status publishes (shards in index order), or undefined when it has none. */
export function ringFromCluster(cluster: RealtimeClusterObject | undefined): Ring | undefined {
  if (!cluster) return undefined;
  const ring = parseStatus(cluster)?.ring;
  if (!ring || ring.shards.length === 0) return undefined;
  const shards = [...ring.shards].sort((a, b) => a.index - b.index).map((shard) => ({ name: shard.name, address: shard.address }));
  return { version: ring.version, shards };
}

/**
 * The ring of a node run by the operator: its own RealtimeCluster's status.ring, followed through a watch. Each new
 * ring replaces the previous one whole (listeners get the complete list, never a partial update); a status without
 * a ring (or a deleted cluster) keeps the last one, since a node without shards serves nobody.
 */
export class RealtimeClusterShardSource implements ShardSource {
  private ring: Ring | undefined;
  private readonly listeners = new Set<(ring: Ring) => void>();
  private unsubscribe: (() => void) | undefined;
  private firstRing: Promise<void>;
  private resolveFirst: () => void = () => {};
  private closed = false;

  constructor(
    private readonly watch: RealtimeClusterWatch,
    private readonly logger: Logger,
  ) {
    this.firstRing = new Promise((resolve) => (this.resolveFirst = resolve));
  }

  start(): Promise<void> {
    if (!this.unsubscribe) {
      this.unsubscribe = this.watch.onChange((cluster) => this.update(cluster));
      this.watch.start();
      this.update(this.watch.current());
      if (!this.ring) this.logger.info({ cluster: this.watch.name }, 'waiting for the RealtimeCluster to publish a ring');
    }
    return this.firstRing;
  }

  current(): Ring | undefined {
    return this.ring;
  }

  onChange(listener: (ring: Ring) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.listeners.clear();
  }

  private update(cluster: RealtimeClusterObject | undefined): void {
    if (this.closed) return;
    const next = ringFromCluster(cluster);
    if (!next) return;
    const previous = this.ring;
    if (previous && previous.version === next.version && sameShards(previous, next)) return;
    this.ring = next;
    this.logger.info(
      { cluster: this.watch.name, version: next.version, shards: next.shards.map((s) => s.name), previous: previous?.version },
      previous ? 'ring changed' : 'ring received',
    );
    if (!previous) {
      this.resolveFirst();
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch (error) {
        this.logger.error({ err: error }, 'ring listener threw');
      }
    }
  }
}

import type { Logger } from 'pino';
import type { Metrics, RedisShardGauges } from '../../observability/metrics.js';
import { shardIndex } from '../../sharding/jump-hash.js';
import type { Ring } from '../../sharding/ring.js';
import type { RedisConnectionSettings } from './redis-connection-settings.js';
import { RedisShard, type ShardListener } from './redis-shard.js';
import { parseShardAddress } from './shard-address.js';

/** What changed when a ring was applied. */
export interface RingChange {
  /** Shards that joined (already connecting). */
  added: RedisShard[];
  /** Shards that left the ring; still open until the caller moved off them and closes them. */
  removed: RedisShard[];
}

/**
 * The node's view of the ring: one RedisShard per ring entry, in ring order, and the channel → shard rule
 * (jump consistent hash of FNV-1a 64 over the ordered list). A new ring keeps the shards it shares with the
 * old one (same name and address), so their connections and subscriptions stay.
 */
export class RedisRing {
  private shards: RedisShard[] = [];
  private current: Ring | undefined;

  constructor(
    private readonly prefix: string,
    private readonly settings: RedisConnectionSettings,
    private readonly listener: ShardListener,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  get ring(): Ring | undefined {
    return this.current;
  }

  get size(): number {
    return this.shards.length;
  }

  all(): readonly RedisShard[] {
    return this.shards;
  }

  /** The shard a channel lives on (the ring must have been applied). */
  shardFor(channel: string): RedisShard {
    const shards = this.shards;
    return shards.length === 1 ? shards[0]! : shards[shardIndex(channel, shards.length)]!;
  }

  /** Replaces the ring; throws (changing nothing) when an address does not parse. */
  apply(ring: Ring): RingChange {
    if (ring.shards.length === 0) throw new Error('a ring needs at least one shard');
    const targets = ring.shards.map((spec) => parseShardAddress(spec.address));
    const existing = new Map(this.shards.map((shard) => [key(shard.spec.name, shard.spec.address), shard]));
    const next: RedisShard[] = [];
    const added: RedisShard[] = [];
    ring.shards.forEach((spec, i) => {
      const reused = existing.get(key(spec.name, spec.address));
      if (reused) {
        existing.delete(key(spec.name, spec.address));
        next.push(reused);
        return;
      }
      const shard = new RedisShard(spec, targets[i]!, this.settings, this.prefix, this.listener, this.logger, this.metrics);
      shard.start();
      next.push(shard);
      added.push(shard);
    });
    this.shards = next;
    this.current = ring;
    return { added, removed: [...existing.values()] };
  }

  gauges(): RedisShardGauges[] {
    return this.shards.map((shard) => ({ name: shard.name, ready: shard.ready, pipelineDepth: shard.pipelineDepth }));
  }

  async close(): Promise<void> {
    const shards = this.shards;
    this.shards = [];
    await Promise.all(shards.map((shard) => shard.close()));
  }
}

function key(name: string, address: string): string {
  return `${name}\n${address}`;
}

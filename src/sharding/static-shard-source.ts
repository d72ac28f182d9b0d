import type { Ring } from './ring.js';
import type { ShardSource } from './shard-source.js';

/** A ring that never changes: the shards named in the node config. */
export class StaticShardSource implements ShardSource {
  constructor(private readonly ring: Ring) {}

  async start(): Promise<void> {}

  current(): Ring {
    return this.ring;
  }

  onChange(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}

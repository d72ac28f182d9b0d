/**
 * The ring: the ordered list of Redis shards a cluster spreads its channels over. A channel lives on the shard
 * `jump(fnv1a64(channel), shards.length)` picks, so every node (Ringcast or Centrifugo) given the same ordered
 * list agrees on it. Shards are only ever appended or removed at the end, which moves ≈1/(N+1) of the channels.
 */
export interface ShardSpec {
  /** Stable, human-readable name (for logs, metrics and status), e.g. `redis-0` or the address itself. */
  readonly name: string;
  /**
   * Where the shard is, in the form `engine.redis.address` takes: `redis://host:port`, `rediss://…`, or a
   * Sentinel/Cluster form the Redis engine understands. Credentials come from the node config, not from here.
   */
  readonly address: string;
}

export interface Ring {
  /**
   * Increases on every change of `shards` (the RealtimeCluster's `status.ring.version`); a static ring from the
   * config file is version 0 and a file source bumps it on every edit it applies.
   */
  readonly version: number;
  readonly shards: readonly ShardSpec[];
}

/** Two rings name the same shards in the same order (version aside). */
export function sameShards(a: Ring, b: Ring): boolean {
  if (a.shards.length !== b.shards.length) return false;
  return a.shards.every((shard, i) => shard.address === b.shards[i]!.address && shard.name === b.shards[i]!.name);
}

import type { RedisRing } from './redis-ring.js';
import { redact } from './shard-address.js';

/** One shard of the ring as this node sees it. Addresses are shown without passwords. */
export interface ShardReport {
  index: number;
  name: string;
  address: string;
  /** This node's command and PUB/SUB connections to the shard are both up. */
  ready: boolean;
}

export interface RingReport {
  version: number;
  shards: ShardReport[];
}

/** The ring in use and the health of each shard, read from the node's live connections (no Redis round trip). */
export function describeRing(ring: RedisRing): RingReport {
  return {
    version: ring.ring?.version ?? 0,
    shards: ring.all().map((shard, index) => ({ index, name: shard.name, address: redact(shard.spec.address), ready: shard.ready })),
  };
}

/** The index of the shard each channel lives on, by the ring's rule (jump hash of FNV-1a 64 over the shards). */
export function placeChannels(ring: RedisRing, channels: Iterable<string>): Map<string, number> {
  const shards = ring.all();
  const out = new Map<string, number>();
  if (shards.length === 0) return out;
  for (const channel of channels) out.set(channel, shards.indexOf(ring.shardFor(channel)));
  return out;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fnv1a64Hex, shardIndex } from '../../../../src/sharding/jump-hash.js';

// Vectors produced by Go: hash/fnv New64a over the channel's bytes and github.com/dgryski/go-jump's Hash
// (the algorithm Centrifuge's consistentIndex adapts), for 1..12 buckets.
interface Vector {
  channel: string;
  fnv1a64: string;
  shards: number[];
}
const vectors = JSON.parse(readFileSync(new URL('./jump-hash-vectors.json', import.meta.url), 'utf8')) as Vector[];

describe('jump consistent hash of FNV-1a 64', () => {
  it('hashes channel names as Go does (ASCII and UTF-8)', () => {
    for (const v of vectors) expect(fnv1a64Hex(v.channel), v.channel).toBe(v.fnv1a64);
  });

  it('picks the same shard as Go for 1 to 12 shards', () => {
    for (const v of vectors) {
      const ours = v.shards.map((_, i) => shardIndex(v.channel, i + 1));
      expect(ours, v.channel).toEqual(v.shards);
    }
  });

  it('moves about 1/(N+1) of the channels when a shard is appended, only onto the new shard', () => {
    const channels = Array.from({ length: 10_000 }, (_, i) => `load:${i}`);
    const moved = channels.filter((c) => shardIndex(c, 2) !== shardIndex(c, 3));
    expect(moved.length).toBeGreaterThan(3000);
    expect(moved.length).toBeLessThan(3700);
    for (const c of moved) expect(shardIndex(c, 3)).toBe(2);
  });
});

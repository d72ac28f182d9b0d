import { describe, expect, it } from 'vitest';

import { nextRing, type DesiredShard } from '../../../../operator/status/ring.js';

const shard = (i: number, ready = true): DesiredShard => ({ name: `c-redis-${i}`, address: `redis://c-redis-${i}:6379`, ready });
const names = (ring: { shards: { name: string }[] } | undefined) => ring?.shards.map((s) => s.name);

describe('nextRing', () => {
  it('publishes the first ring only when every shard is ready', () => {
    expect(nextRing(undefined, [shard(0), shard(1, false)])).toMatchObject({ ring: undefined, changed: false, waitingFor: ['c-redis-1'] });
    const first = nextRing(undefined, [shard(0), shard(1)]);
    expect(first).toMatchObject({ changed: true, appended: ['c-redis-0', 'c-redis-1'] });
    expect(first.ring).toEqual({
      version: 1,
      size: 2,
      shards: [
        { index: 0, name: 'c-redis-0', address: 'redis://c-redis-0:6379', ready: true },
        { index: 1, name: 'c-redis-1', address: 'redis://c-redis-1:6379', ready: true },
      ],
    });
  });

  it('appends new shards in order, each once it and those before it are ready', () => {
    const v1 = nextRing(undefined, [shard(0), shard(1)]).ring!;
    const waiting = nextRing(v1, [shard(0), shard(1), shard(2, false), shard(3)]);
    expect(waiting).toMatchObject({ changed: false, waitingFor: ['c-redis-2', 'c-redis-3'] });
    expect(waiting.ring?.version).toBe(1);
    const partly = nextRing(v1, [shard(0), shard(1), shard(2), shard(3, false)]);
    expect(partly).toMatchObject({ changed: true, appended: ['c-redis-2'], waitingFor: ['c-redis-3'] });
    expect(partly.ring?.version).toBe(2);
    expect(names(partly.ring)).toEqual(['c-redis-0', 'c-redis-1', 'c-redis-2']);
  });

  it('refreshes readiness without a new version, and keeps a shard that went down', () => {
    const v1 = nextRing(undefined, [shard(0), shard(1)]).ring!;
    const down = nextRing(v1, [shard(0), shard(1, false)]);
    expect(down.changed).toBe(false);
    expect(down.ring?.version).toBe(1);
    expect(down.ring?.shards[1]).toMatchObject({ name: 'c-redis-1', ready: false });
  });

  it('publishes a confirmed shrink at once, so nodes leave a shard before its pod goes', () => {
    const v1 = nextRing(undefined, [shard(0), shard(1), shard(2)]).ring!;
    const shrunk = nextRing(v1, [shard(0), shard(1)]);
    expect(shrunk).toMatchObject({ changed: true, removed: ['c-redis-2'] });
    expect(shrunk.ring?.version).toBe(2);
  });

  it('replaces a reordered or different list only once every shard of it is ready', () => {
    const v1 = nextRing(undefined, [shard(0), shard(1)]).ring!;
    const other = (i: number, ready = true): DesiredShard => ({ name: `x${i}`, address: `redis://x${i}:6379`, ready });
    const waiting = nextRing(v1, [other(0), other(1, false)]);
    expect(waiting.changed).toBe(false);
    expect(names(waiting.ring)).toEqual(['c-redis-0', 'c-redis-1']);
    const replaced = nextRing(v1, [other(0), other(1)]);
    expect(replaced).toMatchObject({ changed: true, appended: ['x0', 'x1'], removed: ['c-redis-0', 'c-redis-1'] });
    expect(replaced.ring?.version).toBe(2);
  });
});

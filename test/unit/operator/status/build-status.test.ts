import { describe, expect, it } from 'vitest';

import { buildStatus, type ClusterObservation } from '../../../../operator/status/build-status.js';
import { nextRing } from '../../../../operator/status/ring.js';

const shards = [{ name: 'c-redis-0', address: 'redis://a', ready: true }];

function observation(overrides: Partial<ClusterObservation> = {}): ClusterObservation {
  return {
    generation: 3,
    previous: undefined,
    ring: nextRing(undefined, shards),
    shardHint: 'hint',
    nodeSelector: 'sel',
    nodes: { desired: 2, current: 2, ready: 2, updated: 2, rolloutObserved: true },
    connections: 10,
    endpoints: { websocket: 'ws://x', api: 'http://x' },
    problems: [],
    now: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('buildStatus', () => {
  it('is Ready, not Progressing, not Degraded when nodes and ring match the spec', () => {
    const status = buildStatus(observation());
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'True', 'ClusterReady'],
      ['Progressing', 'False', 'Stable'],
      ['Degraded', 'False', 'AsExpected'],
    ]);
    expect(status).toMatchObject({ observedGeneration: 3, connections: 10, selector: 'sel', nodes: { desired: 2, ready: 2 } });
  });

  it('moves lastTransitionTime only when a condition changes status', () => {
    const first = buildStatus(observation());
    const same = buildStatus(observation({ previous: first, now: '2026-01-01T01:00:00Z', nodes: { desired: 3, current: 2, ready: 2, updated: 2, rolloutObserved: true } }));
    const ready = same.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(ready.message).toBe('2 of 3 nodes ready; ring v1 with 1 shards');
    const progressing = same.conditions!.find((c) => c.type === 'Progressing')!;
    expect(progressing).toMatchObject({ status: 'True', reason: 'ScalingNodes', lastTransitionTime: '2026-01-01T01:00:00Z' });
  });

  it('says what it waits for and what is wrong', () => {
    const waiting = buildStatus(
      observation({ ring: nextRing(undefined, [{ ...shards[0]!, ready: false }]), problems: [{ reason: 'ConfigInvalid', message: 'spec.config.x: bad' }] }),
    );
    expect(waiting.ring).toBeUndefined();
    expect(waiting.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'WaitingForShards' });
    expect(waiting.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason: 'ConfigInvalid', message: 'spec.config.x: bad' });
  });
});

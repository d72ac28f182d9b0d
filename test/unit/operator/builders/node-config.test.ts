import { describe, expect, it } from 'vitest';

import type { ClusterRef } from '../../../../operator/builders/cluster-ref.js';
import { buildNodeConfig } from '../../../../operator/builders/node-config.js';
import { realtimeClusterSpecSchema } from '../../../../src/kube/realtime-cluster-spec.js';

const cluster = (spec: unknown): ClusterRef => ({ name: 'c', namespace: 'ns', uid: 'u', spec: realtimeClusterSpecSchema.parse(spec) });

describe('buildNodeConfig', () => {
  it('adds what the operator decides and hashes only what needs a restart', () => {
    const base = buildNodeConfig(cluster({ config: { channel: { namespaces: [{ name: 'chat' }] } } }));
    if (!base.ok) throw new Error(base.reason);
    expect(base.config).toMatchObject({
      http_server: { port: 8000 },
      engine: { type: 'redis' },
      ringcast: { kubernetes: { cluster: 'c' }, shutdown: { drain_window: '30000ms' } },
      shutdown: { timeout: '40000ms' },
    });
    const live = buildNodeConfig(cluster({ config: { channel: { namespaces: [{ name: 'chat', presence: true }] } } }));
    const restart = buildNodeConfig(cluster({ config: { client: { ping_interval: '10s' }, channel: { namespaces: [{ name: 'chat' }] } } }));
    if (!live.ok || !restart.ok) throw new Error('unexpected');
    expect(live.restartHash).toBe(base.restartHash);
    expect(restart.restartHash).not.toBe(base.restartHash);
  });

  it('reports an invalid value with its key, as the node would refuse it', () => {
    const result = buildNodeConfig(cluster({ config: { channel: { namespaces: [{ name: 'chat', history_size: 10 }] } } }));
    expect(result).toMatchObject({ ok: false, key: 'channel.namespaces[0].history_ttl' });
  });
});

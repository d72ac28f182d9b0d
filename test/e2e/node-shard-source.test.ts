// How a node learns its ring in Kubernetes: RealtimeClusterShardSource, running with the credentials of the
// node ServiceAccount the operator created, waits (no ring, so not ready) until the operator publishes status.ring,
// then follows every change of it with whole rings. The same ServiceAccount may read its own RealtimeCluster and
// nothing else.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KubeApiError } from '../../src/kube/kube-api-error.js';
import { KubeClient } from '../../src/kube/kube-client.js';
import { RealtimeClusterShardSource } from '../../src/kube/realtime-cluster-shard-source.js';
import { RealtimeClusterWatch } from '../../src/kube/realtime-cluster-watch.js';
import type { Ring } from '../../src/sharding/ring.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/kube-kubelet.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { mintServiceAccountKubeconfig } from '../helpers/kube-service-account.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';

const logger = pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' });

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof KubeApiError) return error.status;
    throw error;
  }
}

describe('a node ServiceAccount reading its ring from the RealtimeCluster', () => {
  let env: OperatorEnv;
  let namespace: string;
  let kubelet: FakeKubelet | undefined;
  let watch: RealtimeClusterWatch | undefined;
  let source: RealtimeClusterShardSource | undefined;
  const held = new Set<string>(['feed-redis-0', 'feed-redis-1']);

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'node-ring');
    namespace = env.namespace;
    await env.startOperator('operator').opsPort();
  });

  afterAll(async () => {
    await source?.close();
    await watch?.stop();
    await kubelet?.stop();
    await env?.cleanup();
  });

  it('waits for a ring, then follows its changes, with nothing but its own cluster readable', async () => {
    const create = (name: string, shards: number) =>
      env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
        body: { apiVersion: 'ringcast.dev/v1alpha1', kind: 'RealtimeCluster', metadata: { name }, spec: { redis: { managed: { shards } } } },
      });
    await create('feed', 2);
    await create('other', 1);
    kubelet = startFakeKubelet(env.client, namespace, {
      labelSelector: 'app.kubernetes.io/component=redis',
      ready: (name) => !held.has(name),
    });
    await pollUntil(async () => env.client.get(`/api/v1/namespaces/${namespace}/serviceaccounts/feed-node`), {
      what: 'the node ServiceAccount',
      timeoutMs: WAIT_MS,
    });
    const { kubeConfig } = await mintServiceAccountKubeconfig(env.admin, { namespace, serviceAccount: 'feed-node' });
    const node = new KubeClient(kubeConfig);
    // RBAC objects reach the authorizer through an informer: wait until the Role applies.
    await pollUntil(async () => node.get(clusterPath(namespace, 'feed')), { what: 'the node allowed to read its cluster', timeoutMs: WAIT_MS });

    watch = new RealtimeClusterWatch({ client: node, namespace, name: 'feed', logger });
    source = new RealtimeClusterShardSource(watch, logger);
    let started = false;
    const starting = source.start().then(() => (started = true));
    const rings: Ring[] = [];
    source.onChange((ring) => rings.push(ring));
    await watch.synced();
    // No shard is ready, so no ring: the source keeps waiting (and the node would answer 503 on /health).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(started).toBe(false);
    expect(source.current()).toBeUndefined();

    held.clear();
    held.add('feed-redis-2');
    await starting;
    expect(source.current()).toEqual({
      version: 1,
      shards: [0, 1].map((i) => ({ name: `feed-redis-${i}`, address: `redis://feed-redis-${i}.feed-redis.${namespace}.svc.cluster.local:6379` })),
    });

    await env.client.mergePatch(clusterPath(namespace, 'feed'), { spec: { redis: { managed: { shards: 3 } } } });
    // The third shard is not ready yet: no new ring.
    await pollUntil(
      async () => {
        const cluster = await env.client.get<{ status?: { conditions?: { type: string; message: string }[] } }>(clusterPath(namespace, 'feed'));
        const progressing = cluster.status?.conditions?.find((c) => c.type === 'Progressing');
        return progressing?.message.includes('feed-redis-2 join the ring once ready') ? true : undefined;
      },
      { what: 'the operator waiting for the third shard', timeoutMs: WAIT_MS },
    );
    expect(rings).toEqual([]);
    held.clear();
    await pollUntil(async () => (rings.length > 0 ? true : undefined), { what: 'ring v2 at the node', timeoutMs: WAIT_MS });
    expect(rings).toHaveLength(1);
    expect(rings[0]!.version).toBe(2);
    expect(rings[0]!.shards.map((s) => s.name)).toEqual(['feed-redis-0', 'feed-redis-1', 'feed-redis-2']);
    expect(source.current()).toEqual(rings[0]);

    // Everything else is refused.
    const ns = `/api/v1/namespaces/${namespace}`;
    const refused = {
      'get another cluster': await status(node.get(clusterPath(namespace, 'other'))),
      'list every cluster': await status(node.get(clusterPath(namespace, '').replace(/\/$/, ''))),
      'write its own status': await status(node.mergePatch(`${clusterPath(namespace, 'feed')}/status`, { status: { connections: 1 } })),
      'change its own spec': await status(node.mergePatch(clusterPath(namespace, 'feed'), { spec: { nodes: { replicas: 9 } } })),
      'read its credentials Secret': await status(node.get(`${ns}/secrets/feed-credentials`)),
      'list ConfigMaps': await status(node.get(`${ns}/configmaps`)),
      'list pods': await status(node.get(`${ns}/pods`)),
      'list Deployments': await status(node.get(`/apis/apps/v1/namespaces/${namespace}/deployments`)),
      'read clusters in another namespace': await status(node.get(clusterPath('default', 'feed'))),
    };
    console.log(`node ServiceAccount: ${JSON.stringify(refused)}`);
    for (const [what, code] of Object.entries(refused)) expect(code, what).toBe(403);
  });
});

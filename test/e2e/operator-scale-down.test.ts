// Scale-down picks the least-loaded node: three node pods run as real processes with different numbers of SDK
// clients; the operator reads each pod's ringcast_node_connections, reports the sum in status.connections, and on
// 3 → 2 marks every pod's deletion cost with its count, so the ReplicaSet removes the pod with the fewest clients.
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { freeLoopbackPorts } from '../helpers/kube-free-port.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { startNodePodKubelet } from '../helpers/node-pod-kubelet.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, getCluster, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';
import type { ProcessKubelet, RunningPod } from '../helpers/process-kubelet.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { hs256Token } from '../helpers/tokens.js';

const NAME = 'load';

describe('scale-down removes the node with the fewest connections', () => {
  let env: OperatorEnv;
  let namespace: string;
  let kubelet: ProcessKubelet | undefined;
  let redis: RedisServer | undefined;
  const clients: Centrifuge[] = [];

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'operator-scale-down');
    namespace = env.namespace;
    await env.startOperator('operator').opsPort();
    redis = await startRedisServer();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await kubelet?.stop();
    await redis?.stop();
    await env?.cleanup();
  });

  it('marks pod-deletion-cost from live counts and the ReplicaSet deletes the least-loaded pod', async () => {
    const [port] = await freeLoopbackPorts(1);
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          nodes: { replicas: 3, port, drain: { window: '1s', preStopDelay: '0s' } },
          redis: { external: { addresses: [redis!.url] }, prefix: `load${process.pid}` },
        },
      },
    });
    kubelet = await startNodePodKubelet(env, namespace, NAME, '127.92.0');
    const pods = await pollUntil(
      async () => {
        const live = [...kubelet!.pods.values()].filter((p) => !p.deletedAt);
        if (live.length !== 3) return undefined;
        const healthy = await Promise.all(live.map((p) => fetch(`http://${p.ip}:${p.port}/health`).then((r) => r.ok, () => false)));
        return healthy.every(Boolean) ? live : undefined;
      },
      { what: 'three node pods serving', timeoutMs: WAIT_MS },
    );

    const secret = await env.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${NAME}-credentials`);
    const hmac = Buffer.from(secret.data['token-hmac-secret-key']!, 'base64').toString('utf8');
    const connect = async (pod: RunningPod, count: number) => {
      for (let i = 0; i < count; i++) {
        const client = new Centrifuge(`ws://${pod.ip}:${pod.port}/connection/websocket`, {
          websocket: WebSocket,
          token: await hs256Token({ sub: `user-${pod.name}-${i}` }, { expInSeconds: 3600, secret: hmac }),
        });
        clients.push(client);
        client.connect();
        await client.ready(10_000);
      }
    };
    const load = new Map<string, number>([[pods[0]!.name, 5], [pods[1]!.name, 2], [pods[2]!.name, 4]]);
    for (const pod of pods) await connect(pod, load.get(pod.name)!);

    const withCount = await pollUntil(
      async () => {
        const cluster = await getCluster(env.client, namespace, NAME);
        return (cluster.status as { connections?: number } | undefined)?.connections === 11 ? cluster : undefined;
      },
      { what: 'status.connections = 11', timeoutMs: WAIT_MS },
    );
    expect((withCount.status as { connections: number }).connections).toBe(11);

    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { nodes: { replicas: 2 } } });
    const leastLoaded = pods[1]!;
    await pollUntil(async () => (leastLoaded.deletedAt ? true : undefined), { what: `${leastLoaded.name} deleted`, timeoutMs: WAIT_MS });
    expect(pods[0]!.deletedAt).toBeUndefined();
    expect(pods[2]!.deletedAt).toBeUndefined();
    const remaining = await env.client.get<{ items: { metadata: { name: string; annotations?: Record<string, string> } }[] }>(
      `/api/v1/namespaces/${namespace}/pods`,
      { labelSelector: `app.kubernetes.io/instance=${NAME}` },
    );
    const costs = Object.fromEntries(
      remaining.items.map((pod) => [pod.metadata.name, pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']]),
    );
    expect(costs).toEqual({ [pods[0]!.name]: '5', [pods[2]!.name]: '4' });
    const events = await env.client.get<{ items: { reason: string; note: string }[] }>(`/apis/events.k8s.io/v1/namespaces/${namespace}/events`);
    const note = events.items.find((e) => e.reason === 'ScalingDown')?.note;
    console.log(`event: ${note}`);
    expect(note).toContain(`nodes 3 → 2; pods with the fewest connections go first: ${leastLoaded.name} (2)`);
  });
});

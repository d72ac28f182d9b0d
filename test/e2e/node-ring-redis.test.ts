// The whole path of the ring, with real parts only: real redis-server shards on loopback (password-protected, the
// password in a Secret the resource references), the operator publishing status.ring once it can PING them, and
// two node pods run as real `ringcast serve` processes outside the cluster with the node ServiceAccount's
// kubeconfig. The nodes take the ring from the resource and act as one cluster over it; when a third shard is
// appended to the resource, they follow ring v2 onto it without a restart.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { Centrifuge, type Subscription } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { shardIndex } from '../../src/sharding/jump-hash.js';
import { freeLoopbackPorts } from '../helpers/kube-free-port.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { startNodePodKubelet } from '../helpers/node-pod-kubelet.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, getCluster, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';
import type { ProcessKubelet, RunningPod } from '../helpers/process-kubelet.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { hs256Token } from '../helpers/tokens.js';

const NAME = 'ring';
const PASSWORD = 'shard-password-for-e2e';
const run = promisify(execFile);

interface Health {
  ring_version: number | null;
  shards: Record<string, string>;
}

describe('nodes outside the cluster follow the ring of their RealtimeCluster, with real Redis shards', () => {
  let env: OperatorEnv;
  let namespace: string;
  let kubelet: ProcessKubelet | undefined;
  const redis: RedisServer[] = [];
  const clients: Centrifuge[] = [];

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'node-ring-redis');
    namespace = env.namespace;
    await env.startOperator('operator').opsPort();
    for (let i = 0; i < 3; i++) redis.push(await startRedisServer({ args: ['--requirepass', PASSWORD] }));
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await kubelet?.stop();
    await Promise.all(redis.map((r) => r.stop()));
    await env?.cleanup();
  });

  const health = async (pod: RunningPod): Promise<Health | undefined> => {
    try {
      const response = await fetch(`http://${pod.ip}:${pod.port}/health`);
      return response.ok ? ((await response.json()) as Health) : undefined;
    } catch {
      return undefined;
    }
  };

  /** Channels of the `chat` namespace the jump hash puts on each of `shards` shards (one per shard). */
  const channelPerShard = (shards: number): string[] =>
    Array.from({ length: shards }, (_, shard) => {
      for (let i = 0; ; i++) if (shardIndex(`chat:room-${i}`, shards) === shard) return `chat:room-${i}`;
    });

  it('takes ring v1 from the status, serves as one cluster, and follows ring v2 onto an appended shard', async () => {
    const [port] = await freeLoopbackPorts(1);
    await env.client.request('POST', `/api/v1/namespaces/${namespace}/secrets`, {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis-auth' }, stringData: { password: PASSWORD } },
    });
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          nodes: { replicas: 2, port, drain: { window: '1s', preStopDelay: '0s' } },
          redis: {
            external: { addresses: [redis[0]!.url, redis[1]!.url], passwordSecretRef: { name: 'redis-auth', key: 'password' } },
            prefix: `e2e${process.pid}`,
          },
          config: {
            channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true, history_size: 100, history_ttl: '300s' }] },
          },
        },
      },
    });
    const v1 = await pollUntil(
      async () => {
        const ring = (await getCluster(env.client, namespace, NAME)).status as { ring?: { version: number; shards: { address: string }[] } } | undefined;
        return ring?.ring;
      },
      { what: 'ring v1 published', timeoutMs: WAIT_MS },
    );
    expect(v1.version).toBe(1);
    expect(v1.shards.map((s) => s.address)).toEqual([redis[0]!.url, redis[1]!.url]);

    kubelet = await startNodePodKubelet(env, namespace, NAME, '127.93.0');
    const pods = await pollUntil(
      async () => {
        const live = [...kubelet!.pods.values()].filter((p) => !p.deletedAt);
        if (live.length !== 2) return undefined;
        const states = await Promise.all(live.map(health));
        return states.every((h) => h?.ring_version === 1 && Object.values(h.shards).every((s) => s === 'ready')) ? live : undefined;
      },
      { what: 'two nodes serving ring v1', timeoutMs: WAIT_MS },
    );
    expect(Object.keys((await health(pods[0]!))!.shards)).toEqual([redis[0]!.url, redis[1]!.url]);
    // Pods report Ready through their probe, so the cluster is Ready.
    await pollUntil(
      async () => {
        const cluster = await getCluster(env.client, namespace, NAME);
        const ready = (cluster.status as { conditions?: { type: string; status: string }[] }).conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'True' ? true : undefined;
      },
      { what: 'the cluster Ready', timeoutMs: WAIT_MS },
    );

    const secret = await env.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${NAME}-credentials`);
    const hmac = Buffer.from(secret.data['token-hmac-secret-key']!, 'base64').toString('utf8');
    const apiKey = Buffer.from(secret.data['api-key']!, 'base64').toString('utf8');
    const [a, b] = pods as [RunningPod, RunningPod];

    // A subscriber on node A, publications through node B's API, on channels of every shard.
    const subscriber = new Centrifuge(`ws://${a.ip}:${a.port}/connection/websocket`, {
      websocket: WebSocket,
      token: await hs256Token({ sub: 'alice' }, { expInSeconds: 3600, secret: hmac }),
    });
    clients.push(subscriber);
    subscriber.connect();
    await subscriber.ready(10_000);
    const received = new Map<string, unknown[]>();
    const subscriptions: Subscription[] = [];
    const channels = [...new Set([...channelPerShard(2), ...channelPerShard(3)])];
    for (const channel of channels) {
      const sub = subscriber.newSubscription(channel);
      received.set(channel, []);
      sub.on('publication', (ctx) => received.get(channel)!.push(ctx.data));
      sub.subscribe();
      await sub.ready(10_000);
      subscriptions.push(sub);
    }
    const publish = async (channel: string, data: unknown) => {
      const response = await fetch(`http://${b.ip}:${b.port}/api/publish`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
        body: JSON.stringify({ channel, data }),
      });
      const body = (await response.json()) as { error?: unknown };
      expect(body.error, channel).toBeUndefined();
    };
    for (const channel of channels) await publish(channel, { ring: 1, channel });
    await pollUntil(async () => (channels.every((c) => received.get(c)!.length === 1) ? true : undefined), {
      what: 'publications through node B reaching node A on every shard',
      timeoutMs: WAIT_MS,
    });

    // Append a third shard: the operator publishes ring v2 once it answers, and both nodes follow, no restart.
    const pids = pods.map((p) => p.process.pid);
    await env.client.mergePatch(clusterPath(namespace, NAME), {
      spec: { redis: { external: { addresses: redis.map((r) => r.url), passwordSecretRef: { name: 'redis-auth', key: 'password' } } } },
    });
    await pollUntil(
      async () => {
        const states = await Promise.all(pods.map(health));
        return states.every((h) => h?.ring_version === 2 && Object.keys(h.shards).length === 3) ? true : undefined;
      },
      { what: 'both nodes on ring v2', timeoutMs: WAIT_MS },
    );
    expect(pods.map((p) => p.process.pid)).toEqual(pids);
    expect(pods.every((p) => p.process.exitInfo === undefined)).toBe(true);

    // The channel the jump hash now puts on shard 2 is subscribed on the new redis-server, and still delivers.
    const moved = channelPerShard(3)[2]!;
    const prefix = `e2e${process.pid}`;
    await pollUntil(
      async () => {
        const { stdout } = await run('redis-cli', ['-p', String(redis[2]!.port), '-a', PASSWORD, '--no-auth-warning', 'PUBSUB', 'CHANNELS', `${prefix}*`]);
        return stdout.includes(moved) ? stdout : undefined;
      },
      { what: `${moved} subscribed on the third shard`, timeoutMs: WAIT_MS },
    );
    for (const channel of channels) await publish(channel, { ring: 2, channel });
    await pollUntil(async () => (channels.every((c) => received.get(c)!.length === 2) ? true : undefined), {
      what: 'publications on ring v2 reaching node A on every shard',
      timeoutMs: WAIT_MS,
    });
    expect(received.get(moved)).toEqual([{ ring: 1, channel: moved }, { ring: 2, channel: moved }]);
  });
});

// Live configuration end to end: a node pod made by the operator runs as a real process (with the pod's config,
// secrets and the node ServiceAccount's credentials); a namespace added to spec.config.channel takes effect in that
// running process (an SDK subscription that was refused is accepted, same process, no roll), while a change that
// needs a restart rolls the Deployment and a new process takes over.
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { freeLoopbackPorts } from '../helpers/kube-free-port.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { startNodePodKubelet } from '../helpers/node-pod-kubelet.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';
import type { ProcessKubelet } from '../helpers/process-kubelet.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { hs256Token } from '../helpers/tokens.js';

const NAME = 'live';

describe('channel options edited on the RealtimeCluster reach a running node', () => {
  let env: OperatorEnv;
  let namespace: string;
  let kubelet: ProcessKubelet | undefined;
  let redis: RedisServer | undefined;
  const clients: Centrifuge[] = [];

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'node-live-config');
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

  const secret = async (key: string): Promise<string> => {
    const s = await env.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${NAME}-credentials`);
    return Buffer.from(s.data[key]!, 'base64').toString('utf8');
  };

  /** Subscribes through the official SDK; resolves with 'subscribed' or the error code. */
  const trySubscribe = async (url: string, channel: string): Promise<string> => {
    const token = await hs256Token({ sub: 'alice' }, { expInSeconds: 3600, secret: await secret('token-hmac-secret-key') });
    const client = new Centrifuge(url, { websocket: WebSocket, token });
    clients.push(client);
    client.connect();
    await client.ready(10_000);
    const sub = client.newSubscription(channel);
    const outcome = new Promise<string>((resolve) => {
      sub.on('subscribed', () => resolve('subscribed'));
      sub.on('error', (ctx) => resolve(`error ${ctx.error.code}`));
      sub.on('unsubscribed', (ctx) => resolve(`unsubscribed ${ctx.code}`));
    });
    sub.subscribe();
    const result = await outcome;
    client.disconnect();
    return result;
  };

  it('applies a new namespace without a restart, and rolls the pods for a restart-needing change', async () => {
    const [port] = await freeLoopbackPorts(1);
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          nodes: { replicas: 1, port, drain: { window: '1s', preStopDelay: '0s' } },
          redis: { external: { addresses: [redis!.url] }, prefix: `live${process.pid}` },
          config: { channel: { namespaces: [{ name: 'news', allow_subscribe_for_client: true }] } },
        },
      },
    });
    kubelet = await startNodePodKubelet(env, namespace, NAME, '127.91.0');
    const first = await pollUntil(
      async () => {
        const pod = [...kubelet!.pods.values()].find((p) => !p.deletedAt);
        if (!pod) return undefined;
        const health = await fetch(`http://${pod.ip}:${pod.port}/health`).catch(() => undefined);
        return health?.ok ? pod : undefined;
      },
      { what: 'the node pod serving', timeoutMs: WAIT_MS },
    );
    const url = `ws://${first.ip}:${first.port}/connection/websocket`;
    expect(await trySubscribe(url, 'news:today')).toBe('subscribed');
    expect(await trySubscribe(url, 'chat:room')).toBe('unsubscribed 102');

    const deploymentPath = `/apis/apps/v1/namespaces/${namespace}/deployments/${NAME}-node`;
    const hash = async () =>
      (await env.client.get<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>(deploymentPath)).spec.template
        .metadata.annotations['ringcast.dev/config-hash'];
    const hashBefore = await hash();

    await env.client.mergePatch(clusterPath(namespace, NAME), {
      spec: { config: { channel: { namespaces: [{ name: 'news', allow_subscribe_for_client: true }, { name: 'chat', allow_subscribe_for_client: true }] } } },
    });
    const applied = await pollUntil(async () => ((await trySubscribe(url, 'chat:room')) === 'subscribed' ? true : undefined), {
      what: 'the chat namespace live on the running node',
      timeoutMs: WAIT_MS,
      intervalMs: 250,
    });
    expect(applied).toBe(true);
    // Same process, same pod, no roll.
    expect(first.process.exitInfo).toBeUndefined();
    expect([...kubelet.pods.values()].filter((p) => !p.deletedAt).map((p) => p.name)).toEqual([first.name]);
    expect(await hash()).toBe(hashBefore);

    // A restart-needing change (client.*) rolls: a new pod (a new process) replaces the old one.
    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { config: { client: { ping_interval: '20s' } } } });
    const second = await pollUntil(
      async () => {
        const pod = [...kubelet!.pods.values()].find((p) => p.name !== first.name && !p.deletedAt);
        if (!pod) return undefined;
        const health = await fetch(`http://${pod.ip}:${pod.port}/health`).catch(() => undefined);
        return health?.ok ? pod : undefined;
      },
      { what: 'a new node pod after the roll', timeoutMs: WAIT_MS },
    );
    expect(await hash()).not.toBe(hashBefore);
    await pollUntil(async () => (first.process.exitInfo ? true : undefined), { what: 'the old pod stopped', timeoutMs: WAIT_MS });
    expect(await trySubscribe(`ws://${second.ip}:${second.port}/connection/websocket`, 'chat:room')).toBe('subscribed');
  });
});

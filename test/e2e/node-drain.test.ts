// The drain: a node pod holding 2,000 official-SDK clients is deleted (as an eviction or a scale-down does). After
// its preStop delay it gets SIGTERM, refuses new connections, and disconnects its clients with the reconnect code
// 3001 spread over the drain window; they reconnect through the Service to the other node and recover every
// publication they missed from history (publications keep flowing all along). Real parts: the operator's pods run
// as real processes on a real redis-server shard; a loopback proxy stands in for the ClusterIP Service.
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { freeLoopbackPorts } from '../helpers/kube-free-port.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { startNodePodKubelet } from '../helpers/node-pod-kubelet.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';
import type { ProcessKubelet, RunningPod } from '../helpers/process-kubelet.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startServiceProxy, type Endpoint, type ServiceProxy } from '../helpers/service-proxy.js';
import { hs256Token } from '../helpers/tokens.js';

const NAME = 'drain';
const CLIENTS = 2_000;
const CHANNELS = 20;
const WINDOW_S = 10;
const PRESTOP_S = 1;

interface Tracked {
  client: Centrifuge;
  channel: string;
  offsets: number[];
  /** Times (ms since epoch) the client was told to reconnect, with the code. */
  disconnects: { at: number; code: number }[];
  recoveries: boolean[];
}

describe('draining a node with 2,000 connections', () => {
  let env: OperatorEnv;
  let namespace: string;
  let kubelet: ProcessKubelet | undefined;
  let redis: RedisServer | undefined;
  let service: ServiceProxy | undefined;
  const tracked: Tracked[] = [];

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'node-drain');
    namespace = env.namespace;
    await env.startOperator('operator').opsPort();
    redis = await startRedisServer();
  });

  afterAll(async () => {
    for (const t of tracked) t.client.disconnect();
    await service?.close();
    await kubelet?.stop();
    await redis?.stop();
    await env?.cleanup();
  });

  it('spreads the disconnects over the window; every client moves to the other node and misses nothing', { timeout: 480_000 }, async () => {
    const [port] = await freeLoopbackPorts(1);
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          nodes: { replicas: 2, port, drain: { window: `${WINDOW_S}s`, preStopDelay: `${PRESTOP_S}s` } },
          redis: { external: { addresses: [redis!.url] }, prefix: `drain${process.pid}` },
          config: {
            channel: {
              namespaces: [
                { name: 'chat', allow_subscribe_for_client: true, history_size: 1000, history_ttl: '600s', force_recovery: true },
              ],
            },
          },
        },
      },
    });
    kubelet = await startNodePodKubelet(env, namespace, NAME, '127.94.0');
    const [a, b] = await pollUntil(
      async () => {
        const live = [...kubelet!.pods.values()].filter((p) => !p.deletedAt);
        return live.length === 2 && live.every((p) => kubelet!.ready.has(p.name)) ? (live as [RunningPod, RunningPod]) : undefined;
      },
      { what: 'two node pods ready', timeoutMs: WAIT_MS },
    );

    // The Service: at first every connection is sent to node A; from the drain on, to ready pods (A is gone).
    let pinned: Endpoint | undefined = { host: a.ip, port: a.port };
    service = await startServiceProxy(() =>
      pinned ? [pinned] : [...kubelet!.pods.values()].filter((p) => !p.deletedAt && kubelet!.ready.has(p.name)).map((p) => ({ host: p.ip, port: p.port })),
    );

    const secret = await env.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${NAME}-credentials`);
    const hmac = Buffer.from(secret.data['token-hmac-secret-key']!, 'base64').toString('utf8');
    const apiKey = Buffer.from(secret.data['api-key']!, 'base64').toString('utf8');
    const url = `ws://127.0.0.1:${service.port}/connection/websocket`;

    const connectOne = async (i: number): Promise<void> => {
      const client = new Centrifuge(url, {
        websocket: WebSocket,
        token: await hs256Token({ sub: `user-${i}` }, { expInSeconds: 3600, secret: hmac }),
        minReconnectDelay: 200,
        maxReconnectDelay: 3_000,
      });
      const entry: Tracked = { client, channel: `chat:c${i % CHANNELS}`, offsets: [], disconnects: [], recoveries: [] };
      tracked.push(entry);
      client.on('connecting', (ctx) => {
        if (ctx.code >= 3000) entry.disconnects.push({ at: Date.now(), code: ctx.code });
      });
      const sub = client.newSubscription(entry.channel);
      sub.on('publication', (ctx) => entry.offsets.push(ctx.offset ?? -1));
      sub.on('subscribed', (ctx) => {
        if (ctx.wasRecovering) entry.recoveries.push(ctx.recovered);
      });
      client.connect();
      sub.subscribe();
      await sub.ready(30_000);
    };
    for (let start = 0; start < CLIENTS; start += 100) {
      await Promise.all(Array.from({ length: Math.min(100, CLIENTS - start) }, (_, k) => connectOne(start + k)));
    }
    const connectionsOf = async (pod: RunningPod): Promise<number> => {
      const text = await (await fetch(`http://${pod.ip}:${pod.port}/metrics`)).text();
      return Number(/^ringcast_node_connections (\S+)$/m.exec(text)?.[1] ?? NaN);
    };
    expect(await connectionsOf(a)).toBe(CLIENTS);
    expect(await connectionsOf(b)).toBe(0);

    // Publications keep flowing through node B's API during the whole drain.
    let sequence = 0;
    // A request cut by the network (a keep-alive connection closed under the client's feet) was not answered,
    // so it is sent again; a second copy only adds an offset, which every client must then receive too.
    const publish = async (channel: string): Promise<void> => {
      const body = JSON.stringify({ channel, data: { n: ++sequence } });
      for (let attempt = 1; ; attempt++) {
        let response: Response;
        try {
          response = await fetch(`http://${b.ip}:${b.port}/api/publish`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
            body,
          });
        } catch (err) {
          if (attempt >= 5) throw err;
          continue;
        }
        const reply = (await response.json()) as { error?: unknown };
        if (reply.error) throw new Error(`publish failed: ${JSON.stringify(reply.error)}`);
        return;
      }
    };
    let publishing = true;
    const publisher = (async () => {
      let i = 0;
      while (publishing) {
        await publish(`chat:c${i++ % CHANNELS}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    publisher.catch(() => {}); // its failure is reported where it is awaited below
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Delete pod A (what an eviction or a scale-down does). No new pod is admitted, so "the other node" is B.
    pinned = undefined;
    kubelet.admitNew = false;
    await env.client.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${a.name}`);
    await pollUntil(async () => (a.exitedAt ? true : undefined), { what: 'node A drained and exited', timeoutMs: (WINDOW_S + 30) * 1000 });
    expect(a.process.exitInfo).toEqual({ code: 0, signal: null });
    // Generous: 2,000 SDK clients reconnect with their own backoff, and a loaded CI machine slows them down.
    await pollUntil(async () => ((await connectionsOf(b)) === CLIENTS ? true : undefined), {
      what: `${CLIENTS} clients on node B`,
      timeoutMs: 3 * WAIT_MS,
    });
    publishing = false;
    await publisher;
    // One more publication per channel after everyone is back, so every stream has a known last offset.
    for (let c = 0; c < CHANNELS; c++) await publish(`chat:c${c}`);
    const lastOffset = new Map<string, number>();
    for (let c = 0; c < CHANNELS; c++) {
      const response = await fetch(`http://${b.ip}:${b.port}/api/history`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
        body: JSON.stringify({ channel: `chat:c${c}`, limit: 0 }),
      });
      const body = (await response.json()) as { result: { offset: number } };
      lastOffset.set(`chat:c${c}`, body.result.offset);
    }
    await pollUntil(
      async () => (tracked.every((t) => t.offsets.at(-1) === lastOffset.get(t.channel)) ? true : undefined),
      { what: 'every client holding the last publication of its channel', timeoutMs: WAIT_MS },
    );

    // Disconnects: every client was told to reconnect (3001), spread over the window after SIGTERM.
    const terminatedAt = a.terminatedAt!;
    const moments = tracked.map((t) => {
      const d = t.disconnects.find((x) => x.at >= terminatedAt - 500);
      expect(d?.code, 'disconnect code').toBe(3001);
      return (d!.at - terminatedAt) / 1000;
    });
    const buckets = Array.from({ length: WINDOW_S + 2 }, () => 0);
    for (const s of moments) buckets[Math.min(buckets.length - 1, Math.max(0, Math.floor(s)))]!++;
    const widest = Math.max(...buckets);
    console.log(
      `disconnects after SIGTERM (${CLIENTS} clients, ${WINDOW_S} s window), per second:\n` +
        buckets.map((n, s) => `  ${String(s).padStart(2)}-${String(s + 1).padStart(2)} s ${String(n).padStart(4)} ${'#'.repeat(Math.round((n / widest) * 50))}`).join('\n'),
    );
    expect(Math.min(...moments)).toBeGreaterThanOrEqual(-0.5);
    // The moments are seen by this test process, which on a loaded machine handles 2,000 closes late: the upper
    // bound allows for that lag; the spread checks below are what show the window at work.
    expect(Math.max(...moments)).toBeLessThanOrEqual(WINDOW_S + 5);
    // Spread, not a burst: no second holds more than a quarter of the clients (uniform is a tenth), and the
    // disconnects span most of the window.
    expect(widest).toBeLessThanOrEqual(CLIENTS / 4);
    expect(Math.max(...moments) - Math.min(...moments)).toBeGreaterThanOrEqual(WINDOW_S * 0.8);

    // Recovery: each client's offsets run without a gap or a repeat from its first to its channel's last.
    let gaps = 0;
    for (const t of tracked) {
      const first = t.offsets[0]!;
      const expected = Array.from({ length: lastOffset.get(t.channel)! - first + 1 }, (_, k) => first + k);
      if (JSON.stringify(t.offsets) !== JSON.stringify(expected)) gaps++;
    }
    const recovered = tracked.filter((t) => t.recoveries.length > 0 && t.recoveries.every(Boolean)).length;
    console.log(`after the drain: ${await connectionsOf(b)} clients on node B, ${recovered} recovered from history, ${gaps} with a missing or repeated offset, ${sequence} publications`);
    expect(gaps).toBe(0);
    expect(recovered).toBe(CLIENTS);
  });
});

import { Centrifuge } from 'centrifuge';
import { Redis } from 'ioredis';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freeLoopbackPorts } from '../../helpers/kube-free-port.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { channelsOnShard } from '../../helpers/test-cluster.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// What a node does with a Redis it cannot use: a clear log line, error 100 for that shard's channels (the
// other shard keeps working), a skipped message for garbage on a channel — never a crash.
const namespaces = [{ name: 'bad', allow_subscribe_for_client: true, history_size: 10, history_ttl: '60s' }];
const nodes: TestNode[] = [];
const servers: RedisServer[] = [];
let good: RedisServer;

beforeAll(async () => {
  good = await startRedisServer();
  servers.push(good);
});
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function nodeOn(secondShard: string, logs: string[], redisExtra: Record<string, unknown> = {}): Promise<TestNode> {
  const node = await startTestNode(
    {
      engine: {
        type: 'redis',
        redis: { address: [good.url, secondShard], prefix: `bad${process.pid}x${nodes.length}`, connect_timeout: '300ms', ...redisExtra },
      },
      channel: { namespaces },
    },
    { logs },
  );
  nodes.push(node);
  return node;
}

async function publishCode(node: TestNode, channel: string): Promise<number> {
  const { json } = await node.api('publish', { channel, data: {} });
  const body = json as { result?: unknown; error?: { code: number } };
  return body.error ? body.error.code : 0;
}

/** Publishing works on the first shard's channels and answers 100 on the second's. */
async function expectOnlySecondShardFails(node: TestNode): Promise<void> {
  const [onFirst] = channelsOnShard('bad:first-', 0, 2, 1);
  const [onSecond] = channelsOnShard('bad:second-', 1, 2, 1);
  expect(await publishCode(node, onFirst!)).toBe(0);
  expect(await publishCode(node, onSecond!)).toBe(100);
}

describe('a Redis shard the node cannot use', () => {
  it('starts with an unreachable shard, serves the other, and connects once it is there', async () => {
    const [port] = await freeLoopbackPorts(1);
    const logs: string[] = [];
    const node = await nodeOn(`redis://127.0.0.1:${port}`, logs);
    await expectOnlySecondShardFails(node);
    expect(logs.some((l) => l.includes(`cannot use Redis shard redis://127.0.0.1:${port}`) && l.includes('ECONNREFUSED'))).toBe(true);
    const health = await fetch(`${node.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ring_version: 0,
      shards: { [good.url]: 'ready', [`redis://127.0.0.1:${port}`]: 'unavailable' },
    });
    // A subscriber of a channel on the missing shard gets the temporary error and keeps retrying.
    const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'u' }) });
    const [onSecond] = channelsOnShard('bad:second-', 1, 2, 1);
    const sub = client.newSubscription(onSecond!);
    const errors: number[] = [];
    sub.on('error', (ctx) => errors.push(ctx.error.code));
    sub.subscribe();
    client.connect();
    await waitFor('a temporary subscribe error', () => errors.includes(100));
    const late = await startRedisServer({ port: port! });
    servers.push(late);
    await sub.ready(15_000);
    // Its command connection may come up a moment after the PUB/SUB one.
    await waitFor('publishing on the late shard', async () => (await publishCode(node, onSecond!)) === 0, 15_000, 100);
    expect(logs.some((l) => l.includes('is available again'))).toBe(true);
    client.disconnect();
  });

  it('reports a wrong password and answers 100 for that shard', async () => {
    const locked = await startRedisServer({ args: ['--requirepass', 'right-password'] });
    servers.push(locked);
    const logs: string[] = [];
    const node = await nodeOn(`redis://:wrong-password@127.0.0.1:${locked.port}`, logs);
    await expectOnlySecondShardFails(node);
    expect(logs.some((l) => /cannot use Redis shard .*WRONGPASS/.test(l))).toBe(true);
    expect(logs.join('\n')).not.toContain('wrong-password');
  });

  it('reports a server that is not Redis and answers 100 for that shard', async () => {
    const [port] = await freeLoopbackPorts(1);
    const sockets = new Set<import('node:net').Socket>();
    const notRedis: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('data', () => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => notRedis.listen(port, '127.0.0.1', resolve));
    try {
      const logs: string[] = [];
      const node = await nodeOn(`127.0.0.1:${port}`, logs);
      await expectOnlySecondShardFails(node);
      expect(logs.some((l) => l.includes(`cannot use Redis shard 127.0.0.1:${port}`))).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => notRedis.close(() => resolve()));
    }
  });

  it('skips a malformed message another writer published on a channel and keeps delivering', async () => {
    const logs: string[] = [];
    const node = await startTestNode(
      { engine: { type: 'redis', redis: { address: [good.url], prefix: `garbage${process.pid}` } }, channel: { namespaces } },
      { logs },
    );
    nodes.push(node);
    const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'u' }) });
    const sub = client.newSubscription('bad:garbage');
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(ctx.data));
    sub.subscribe();
    client.connect();
    await sub.ready(5000);
    const writer = new Redis(good.port, '127.0.0.1');
    try {
      for (const garbage of ['__p1:x:y__', '__d1:1:e:99:x', Buffer.from([0x22, 0xff, 0xff, 0xff]), '__z__']) {
        await writer.publish(`garbage${process.pid}.client.bad:garbage`, garbage);
      }
    } finally {
      writer.disconnect();
    }
    await publishCode(node, 'bad:garbage');
    await waitFor('the valid publication after the garbage', () => received.length === 1);
    expect(received).toEqual([{}]);
    expect(logs.filter((l) => l.includes('skipped a malformed PUB/SUB message'))).toHaveLength(4);
    const metrics = await (await fetch(`${node.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/ringcast_redis_pubsub_malformed_total\{shard="[^"]+"\} 4/);
    client.disconnect();
  });

  it('survives server API clients that go away while their calls wait for Redis', async () => {
    const node = await startTestNode({
      engine: { type: 'redis', redis: { address: [good.url], prefix: `gone${process.pid}` } },
      channel: { namespaces },
    });
    nodes.push(node);
    const body = JSON.stringify({ channel: 'bad:gone', data: { x: 1 } });
    const request =
      `POST /api/publish HTTP/1.1\r\nHost: x\r\nX-API-Key: ${'test-api-key'}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    await Promise.all(
      Array.from({ length: 200 }, () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: node.port }, () => {
            socket.write(request);
            socket.destroy();
            resolve();
          });
          socket.on('error', () => resolve());
        }),
      ),
    );
    expect(await publishCode(node, 'bad:gone')).toBe(0);
  });
});

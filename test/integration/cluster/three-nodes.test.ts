import { Centrifuge } from 'centrifuge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channelsOnShard, startTestCluster, type TestCluster } from '../../helpers/test-cluster.js';
import type { TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';
import { emulationTransports, emulationVariants } from '../transports/sdk-clients.js';

// Three nodes on a ring of two real redis-server shards, official SDK clients on different nodes.
type Client = InstanceType<typeof Centrifuge>;

const namespaces = [
  {
    name: 'chat',
    allow_subscribe_for_client: true,
    presence: true,
    join_leave: true,
    force_push_join_leave: true,
    history_size: 100,
    history_ttl: '300s',
    force_recovery: true,
    allow_presence_for_subscriber: true,
    allow_publish_for_subscriber: true,
  },
];

let cluster: TestCluster;
let a: TestNode, b: TestNode, c: TestNode;
const clients: Client[] = [];

beforeAll(async () => {
  cluster = await startTestCluster(2, 3, { channel: { namespaces }, ...emulationTransports });
  [a, b, c] = cluster.nodes as [TestNode, TestNode, TestNode];
}, 90_000);
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(() => cluster?.stop());

async function connect(node: TestNode, user: string): Promise<Client> {
  const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: user }) });
  clients.push(client);
  client.connect();
  await client.ready(5000);
  return client;
}

async function subscribe(client: Client, channel: string, options: Record<string, unknown> = {}) {
  const sub = client.newSubscription(channel, options);
  const received: unknown[] = [];
  sub.on('publication', (ctx) => received.push(ctx.data));
  sub.subscribe();
  await sub.ready(5000);
  return { sub, received };
}

async function publish(node: TestNode, channel: string, data: unknown) {
  const { json } = await node.api('publish', { channel, data });
  expect(json).toHaveProperty('result');
  return (json as { result: { offset?: number; epoch?: string } }).result;
}

describe('three nodes, two shards', () => {
  it('lists all three nodes in /api/info on every node', async () => {
    for (const node of cluster.nodes) {
      const { json } = await node.api('info', {});
      const names = (json as { result: { nodes: Array<{ name: string }> } }).result.nodes.map((n) => n.name).sort();
      expect(names).toEqual(['node-a', 'node-b', 'node-c']);
    }
  });

  it('delivers publications sent through node A to subscribers on B and C, on channels of both shards', async () => {
    const channels = [...channelsOnShard('chat:s0-', 0, 2, 3), ...channelsOnShard('chat:s1-', 1, 2, 3)];
    const onB = await connect(b, 'ub');
    const onC = await connect(c, 'uc');
    const subs = await Promise.all(channels.flatMap((ch) => [subscribe(onB, ch), subscribe(onC, ch)]));
    for (const [i, ch] of channels.entries()) await publish(a, ch, { n: i });
    for (const [i, s] of subs.entries()) {
      await waitFor(`publication on ${channels[Math.floor(i / 2)]}`, () => s.received.length === 1);
      expect(s.received).toEqual([{ n: Math.floor(i / 2) }]);
    }
    const { json } = await a.api('channels', { pattern: 'chat:s*' });
    const listed = (json as { result: { channels: Record<string, { num_clients: number }> } }).result.channels;
    for (const ch of channels) expect(listed[ch]).toEqual({ num_clients: 2 });
  });

  it('recovers missed publications after reconnecting to another node', async () => {
    const channel = 'chat:recover';
    const first = await connect(b, 'ur');
    const { sub, received } = await subscribe(first, channel);
    const p1 = await publish(a, channel, { n: 1 });
    await waitFor('first publication', () => received.length === 1);
    const position = { offset: p1.offset!, epoch: p1.epoch! };
    sub.unsubscribe();
    first.disconnect();
    await publish(a, channel, { n: 2 });
    await publish(c, channel, { n: 3 });
    const second = await connect(c, 'ur');
    const again = second.newSubscription(channel, { since: position });
    const recovered: unknown[] = [];
    let wasRecovered = false;
    again.on('publication', (ctx) => recovered.push(ctx.data));
    again.on('subscribed', (ctx) => (wasRecovered = ctx.recovered));
    again.subscribe();
    await again.ready(5000);
    await waitFor('recovered publications', () => recovered.length === 2);
    expect(wasRecovered).toBe(true);
    expect(recovered).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps presence cluster-wide and sends join/leave across nodes', async () => {
    const channel = 'chat:presence';
    const watcher = await connect(a, 'watcher');
    const joins: string[] = [];
    const leaves: string[] = [];
    const watch = watcher.newSubscription(channel);
    watch.on('join', (ctx) => joins.push(ctx.info.user));
    watch.on('leave', (ctx) => leaves.push(ctx.info.user));
    watch.subscribe();
    await watch.ready(5000);
    const onB = await connect(b, 'pb');
    const onC = await connect(c, 'pc');
    await subscribe(onB, channel);
    const { sub } = await subscribe(onC, channel);
    const { json } = await a.api('presence', { channel });
    const users = Object.values((json as { result: { presence: Record<string, { user: string }> } }).result.presence)
      .map((p) => p.user)
      .sort();
    expect(users).toEqual(['pb', 'pc', 'watcher']);
    expect((await b.api('presence_stats', { channel })).json).toEqual({ result: { num_clients: 3, num_users: 3 } });
    await waitFor('joins from B and C', () => joins.includes('pb') && joins.includes('pc'));
    sub.unsubscribe();
    await waitFor('leave from C', () => leaves.includes('pc'));
    expect((await c.api('presence_stats', { channel })).json).toEqual({ result: { num_clients: 2, num_users: 2 } });
  });

  it('disconnects a user connected to C when /api/disconnect is called on A', async () => {
    const target = await connect(c, 'kick-me');
    const bystander = await connect(b, 'stay');
    let code = 0;
    target.on('disconnected', (ctx) => (code = ctx.code));
    const { json } = await a.api('disconnect', { user: 'kick-me' });
    expect(json).toEqual({ result: {} });
    await waitFor('disconnect of the user on C', () => code !== 0);
    expect(code).toBe(3503);
    expect(bystander.state).toBe('connected');
  });

  it('expires the connection of a user on B through /api/refresh on C', async () => {
    const client = await connect(b, 'refresh-me');
    let code = 0;
    client.on('disconnected', (ctx) => (code = ctx.code));
    client.on('connecting', (ctx) => (code = ctx.code));
    expect((await c.api('refresh', { user: 'refresh-me', expired: true })).json).toEqual({ result: {} });
    await waitFor('the expired disconnect', () => code !== 0);
    expect(code).toBe(3005);
  });

  it('reports per-shard Redis metrics', async () => {
    const text = await (await fetch(`${b.httpUrl}/metrics`)).text();
    for (const shard of cluster.redis.map((r) => r.url)) {
      expect(text).toMatch(new RegExp(`ringcast_redis_commands_total\\{shard="${shard}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`ringcast_redis_pubsub_messages_total\\{shard="${shard}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`ringcast_redis_pubsub_lag_seconds_count\\{shard="${shard}"\\} [1-9]`));
      expect(text).toContain(`ringcast_redis_pipeline_depth{shard="${shard}"}`);
      expect(text).toContain(`ringcast_redis_shard_ready{shard="${shard}"} 1`);
    }
  });

  it('subscribes and unsubscribes a user on C through the server API on B', async () => {
    const client = await connect(c, 'server-side');
    const channels: string[] = [];
    client.on('subscribed', (ctx) => channels.push(ctx.channel));
    client.on('unsubscribed', (ctx) => channels.splice(channels.indexOf(ctx.channel), 1));
    expect((await b.api('subscribe', { user: 'server-side', channel: 'chat:server' })).json).toEqual({ result: {} });
    await waitFor('server-side subscription', () => channels.includes('chat:server'));
    expect((await b.api('unsubscribe', { user: 'server-side', channel: 'chat:server' })).json).toEqual({ result: {} });
    await waitFor('server-side unsubscription', () => !channels.includes('chat:server'));
  });

  for (const variant of emulationVariants) {
    it(`serves a ${variant.name} client on B whose /emulation posts land on A`, async () => {
      const client = variant.create(b.httpUrl, {
        token: await hs256Token({ sub: 'emulated' }),
        emulationEndpoint: `${a.httpUrl}/emulation`,
      });
      clients.push(client);
      client.connect();
      await client.ready(5000);
      const channel = `chat:emulated-${variant.transport}`;
      const sub = client.newSubscription(channel);
      const received: unknown[] = [];
      sub.on('publication', (ctx) => received.push(variant.decode(ctx.data)));
      sub.subscribe();
      await sub.ready(5000);
      await publish(c, channel, { via: 'c' });
      await waitFor('publication to the emulated client', () => received.length === 1);
      expect(received).toEqual([{ via: 'c' }]);
      // A client-side publish travels through /emulation on A to the session on B.
      await sub.publish(variant.encode({ from: 'client' }));
      await waitFor('own publication', () => received.length === 2);
    });
  }
});

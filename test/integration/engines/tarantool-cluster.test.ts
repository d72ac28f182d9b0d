import { Centrifuge } from 'centrifuge';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTarantool, tarantoolTestPassword, tarantoolTestUser, type TarantoolServer } from '../../helpers/tarantool-server.js';
import { channelsOnShard } from '../../helpers/test-cluster.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Two Ringcast nodes on two real tarantool instances (channels spread over both by the jump hash): delivery
// across nodes, recovery from history after a client was away, presence seen from either node.
type Client = InstanceType<typeof Centrifuge>;

const namespaces = [
  {
    name: 'tnt',
    allow_subscribe_for_client: true,
    allow_publish_for_subscriber: true,
    presence: true,
    join_leave: true,
    force_push_join_leave: true,
    history_size: 100,
    history_ttl: '300s',
    force_recovery: true,
  },
];

let tarantools: TarantoolServer[];
let a: TestNode;
let b: TestNode;
const clients: Client[] = [];

async function connect(wsUrl: string, user: string): Promise<Client> {
  const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: user }) });
  clients.push(client);
  client.connect();
  await new Promise<void>((resolve) => client.once('connected', () => resolve()));
  return client;
}

beforeAll(async () => {
  tarantools = await Promise.all([startTarantool(), startTarantool()]);
  const engine = {
    type: 'tarantool',
    tarantool: { address: tarantools.map((t) => t.address), user: tarantoolTestUser, password: tarantoolTestPassword },
  };
  a = await startTestNode({ engine, channel: { namespaces }, node: { name: 'tnt-a' } });
  b = await startTestNode({ engine, channel: { namespaces }, node: { name: 'tnt-b' } });
}, 60_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await Promise.all((tarantools ?? []).map((t) => t.stop()));
});

it('the nodes see each other through the control channel', async () => {
  for (const node of [a, b]) {
    await waitFor('2 nodes in /api/info', async () => {
      const { json } = await node.api('info', {});
      return (json as { result: { nodes: Array<{ name: string }> } }).result.nodes.map((n) => n.name).sort().join() === 'tnt-a,tnt-b';
    });
  }
});

it('delivers across nodes on both shards, with consecutive offsets', async () => {
  const channels = [channelsOnShard('tnt:zero-', 0, 2, 1)[0]!, channelsOnShard('tnt:one-', 1, 2, 1)[0]!];
  const client = await connect(b.wsUrl, 'reader');
  const received = new Map<string, Array<{ offset: number; n: number }>>();
  for (const channel of channels) {
    received.set(channel, []);
    const sub = client.newSubscription(channel);
    sub.on('publication', (ctx) => received.get(channel)!.push({ offset: ctx.offset ?? 0, n: (ctx.data as { n: number }).n }));
    sub.subscribe();
    await new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
  }
  for (const channel of channels) {
    for (let n = 1; n <= 10; n++) {
      const { json } = await a.api('publish', { channel, data: { n } });
      expect(json).toMatchObject({ result: { offset: n } });
    }
  }
  for (const channel of channels) {
    await waitFor(`10 publications in ${channel}`, () => received.get(channel)!.length === 10);
    expect(received.get(channel)).toEqual(Array.from({ length: 10 }, (_, i) => ({ offset: i + 1, n: i + 1 })));
  }
});

it('recovers what a client missed while it was away', async () => {
  const channel = 'tnt:recover';
  const client = await connect(b.wsUrl, 'recovering');
  const received: number[] = [];
  const recovered: boolean[] = [];
  const sub = client.newSubscription(channel);
  sub.on('publication', (ctx) => received.push((ctx.data as { n: number }).n));
  sub.on('subscribed', (ctx) => recovered.push(ctx.recovered));
  sub.subscribe();
  await new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
  await a.api('publish', { channel, data: { n: 1 } });
  await waitFor('the first publication', () => received.length === 1);

  client.disconnect();
  for (let n = 2; n <= 6; n++) await a.api('publish', { channel, data: { n } });
  client.connect();
  await waitFor('recovery of the missed publications', () => received.length === 6);
  expect(received).toEqual([1, 2, 3, 4, 5, 6]);
  expect(recovered).toEqual([false, true]);
});

it('shares presence and join/leave between nodes', async () => {
  const channel = 'tnt:room';
  const onA = await connect(a.wsUrl, 'alice');
  const onB = await connect(b.wsUrl, 'bob');
  const joinsAtA: string[] = [];
  const subA = onA.newSubscription(channel);
  subA.on('join', (ctx) => joinsAtA.push(ctx.info.user));
  subA.subscribe();
  await new Promise<void>((resolve) => subA.once('subscribed', () => resolve()));
  const subB = onB.newSubscription(channel);
  subB.subscribe();
  await new Promise<void>((resolve) => subB.once('subscribed', () => resolve()));
  await waitFor('bob joining, seen on node A', () => joinsAtA.includes('bob'));

  for (const node of [a, b]) {
    const { json } = await node.api('presence', { channel });
    const users = Object.values((json as { result: { presence: Record<string, { user: string }> } }).result.presence).map((p) => p.user);
    expect(users.sort()).toEqual(['alice', 'bob']);
    expect((await node.api('presence_stats', { channel })).json).toEqual({ result: { num_clients: 2, num_users: 2 } });
  }
});

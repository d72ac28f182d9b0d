import { Centrifuge } from 'centrifuge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { centrifugoBin, startCentrifugo, type CentrifugoProcess } from '../../helpers/centrifugo-process.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Two Ringcast nodes on one real nats-server act as one cluster for PUB/SUB and control; with CENTRIFUGO_BIN
// a Centrifugo v6 node on the same NATS server and prefix joins them.
type Client = InstanceType<typeof Centrifuge>;

const namespaces = [
  { name: 'room', allow_subscribe_for_client: true, allow_publish_for_subscriber: true, join_leave: true, force_push_join_leave: true },
];

let nats: NatsServer;
let a: TestNode;
let b: TestNode;
let prefix: string;
const clients: Client[] = [];

async function connect(wsUrl: string, user: string): Promise<Client> {
  const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: user }) });
  clients.push(client);
  client.connect();
  await new Promise<void>((resolve) => client.once('connected', () => resolve()));
  return client;
}

beforeAll(async () => {
  nats = await startNatsServer();
  prefix = `natsc${process.pid}`;
  const config = { engine: { type: 'nats' }, broker: { nats: { url: nats.url, prefix } }, channel: { namespaces } };
  a = await startTestNode({ ...config, node: { name: 'nats-a' } });
  b = await startTestNode({ ...config, node: { name: 'nats-b' } });
}, 60_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await nats?.stop();
});

describe('two Ringcast nodes on NATS', () => {
  it('see each other through the control channel', async () => {
    for (const node of [a, b]) {
      await waitFor('2 nodes in /api/info', async () => {
        const { json } = await node.api('info', {});
        return (json as { result: { nodes: Array<{ name: string }> } }).result.nodes.map((n) => n.name).sort().join() === 'nats-a,nats-b';
      });
    }
  });

  it('deliver publications and join/leave across nodes to the official SDK', async () => {
    const onB = await connect(b.wsUrl, 'reader');
    const received: unknown[] = [];
    const joins: string[] = [];
    const sub = onB.newSubscription('room:lobby');
    sub.on('publication', (ctx) => received.push(ctx.data));
    sub.on('join', (ctx) => joins.push(ctx.info.user));
    sub.subscribe();
    await new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));

    const onA = await connect(a.wsUrl, 'writer');
    const writerSub = onA.newSubscription('room:lobby');
    writerSub.subscribe();
    await new Promise<void>((resolve) => writerSub.once('subscribed', () => resolve()));
    await waitFor('the join from node A', () => joins.includes('writer'));

    for (let i = 0; i < 20; i++) {
      const { json } = await a.api('publish', { channel: 'room:lobby', data: { i } });
      expect(json).toEqual({ result: {} });
    }
    await writerSub.publish({ from: 'sdk' });
    await waitFor('21 publications on node B', () => received.length === 21);
    expect(received).toEqual([...Array.from({ length: 20 }, (_, i) => ({ i })), { from: 'sdk' }]);
  });

  it('carry user operations to the node that holds the user', async () => {
    const onB = await connect(b.wsUrl, 'target');
    const disconnected = new Promise<number>((resolve) => onB.once('disconnected', (ctx) => resolve(ctx.code)));
    const { json } = await a.api('disconnect', { user: 'target', disconnect: { code: 4501, reason: 'bye' } });
    expect(json).toEqual({ result: {} });
    expect(await disconnected).toBe(4501);
  });

  it('answer 108 for history and 107 for a channel NATS cannot carry', async () => {
    const { json } = await a.api('history', { channel: 'room:lobby', limit: -1 });
    expect(json).toMatchObject({ error: { code: 108 } });
    const wildcard = await a.api('publish', { channel: 'room:a*', data: {} });
    expect(wildcard.json).toMatchObject({ error: { code: 107 } });
    const spaced = await a.api('publish', { channel: 'room:a b', data: {} });
    expect(spaced.json).toMatchObject({ error: { code: 107 } });
  });
});

const title = centrifugoBin
  ? 'a Centrifugo node on the same NATS server'
  : 'a Centrifugo node on the same NATS server (skipped: CENTRIFUGO_BIN is not set)';

describe.skipIf(!centrifugoBin)(title, () => {
  let centrifugo: CentrifugoProcess;

  beforeAll(async () => {
    centrifugo = await startCentrifugo({
      broker: { enabled: true, type: 'nats', nats: { url: nats.url, prefix } },
      channel: { namespaces },
      node: { name: 'centrifugo-nats' },
    });
  }, 60_000);
  afterAll(async () => {
    await centrifugo?.stop();
  });

  it('joins the cluster: node info both ways', async () => {
    await waitFor('the Centrifugo node in Ringcast /api/info', async () => {
      const { json } = await a.api('info', {});
      return (json as { result: { nodes: Array<{ name: string }> } }).result.nodes.some((n) => n.name === 'centrifugo-nats');
    }, 20_000, 200);
    await waitFor('the Ringcast nodes in Centrifugo /api/info', async () => {
      const json = (await centrifugo.api('info', {})) as { result: { nodes: Array<{ name: string }> } };
      return json.result.nodes.filter((n) => n.name.startsWith('nats-')).length === 2;
    }, 20_000, 200);
  });

  it('delivers both ways: Ringcast publishes reach Centrifugo subscribers and back, joins included', async () => {
    const onCentrifugo = await connect(centrifugo.wsUrl, 'c-user');
    const onRingcast = await connect(b.wsUrl, 'r-user');
    const atCentrifugo: unknown[] = [];
    const atRingcast: unknown[] = [];
    const joinsAtRingcast: string[] = [];
    const subC = onCentrifugo.newSubscription('room:mixed');
    subC.on('publication', (ctx) => atCentrifugo.push(ctx.data));
    const subR = onRingcast.newSubscription('room:mixed');
    subR.on('publication', (ctx) => atRingcast.push(ctx.data));
    subR.on('join', (ctx) => joinsAtRingcast.push(ctx.info.user));
    subR.subscribe();
    await new Promise<void>((resolve) => subR.once('subscribed', () => resolve()));
    subC.subscribe();
    await new Promise<void>((resolve) => subC.once('subscribed', () => resolve()));
    await waitFor('the join from the Centrifugo node', () => joinsAtRingcast.includes('c-user'));

    await a.api('publish', { channel: 'room:mixed', data: { from: 'ringcast' } });
    await centrifugo.api('publish', { channel: 'room:mixed', data: { from: 'centrifugo' } });
    await subC.publish({ from: 'centrifugo-client' });
    const all = [{ from: 'ringcast' }, { from: 'centrifugo' }, { from: 'centrifugo-client' }];
    await waitFor('3 publications on both', () => atCentrifugo.length === 3 && atRingcast.length === 3);
    expect(atRingcast).toEqual(all);
    expect(atCentrifugo).toEqual(all);
  });
});

describe('NATS broker with a Redis presence manager', () => {
  let redis: RedisServer;
  const nodes: TestNode[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const config = {
      broker: { enabled: true, type: 'nats', nats: { url: nats.url, prefix: `natsp${process.pid}` } },
      presence_manager: { enabled: true, type: 'redis', redis: { address: redis.url, prefix: `natsp${process.pid}` } },
      channel: { namespaces: [{ name: 'room', allow_subscribe_for_client: true, presence: true }] },
    };
    nodes.push(await startTestNode({ ...config, node: { name: 'p-a' } }), await startTestNode({ ...config, node: { name: 'p-b' } }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  it('shares presence between nodes through Redis while publications go through NATS', async () => {
    const [pa, pb] = nodes as [TestNode, TestNode];
    const onA = await connect(pa.wsUrl, 'ann');
    const onB = await connect(pb.wsUrl, 'ben');
    const received: unknown[] = [];
    for (const client of [onA, onB]) {
      const sub = client.newSubscription('room:shared');
      if (client === onB) sub.on('publication', (ctx) => received.push(ctx.data));
      sub.subscribe();
      await new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
    }
    for (const node of [pa, pb]) {
      const { json } = await node.api('presence_stats', { channel: 'room:shared' });
      expect(json).toEqual({ result: { num_clients: 2, num_users: 2 } });
    }
    await pa.api('publish', { channel: 'room:shared', data: { via: 'nats' } });
    await waitFor('the publication on node B', () => received.length === 1);
    const health = (await (await fetch(`${pa.httpUrl}/health`)).json()) as { shards: Record<string, string> };
    expect(health.shards).toEqual({ [nats.url]: 'ready', [redis.url]: 'ready' });
  });
});

import { Centrifuge } from 'centrifuge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { centrifugoBin, startCentrifugo, type CentrifugoProcess } from '../../helpers/centrifugo-process.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { channelsOnShard } from '../../helpers/test-cluster.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// One Ringcast node and one Centrifugo v6 node on the same two Redis shards serve one set of channels.
type Client = InstanceType<typeof Centrifuge>;

const namespaces = [
  {
    name: 'mix',
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

const title = centrifugoBin
  ? 'mixed cluster: a Ringcast node and a Centrifugo node on the same shards'
  : 'mixed cluster with Centrifugo (skipped: CENTRIFUGO_BIN is not set)';

describe.skipIf(!centrifugoBin)(title, () => {
  let redis: RedisServer[];
  let ringcast: TestNode;
  let centrifugo: CentrifugoProcess;
  const clients: Client[] = [];

  beforeAll(async () => {
    redis = await Promise.all([startRedisServer(), startRedisServer()]);
    const engine = { type: 'redis', redis: { address: redis.map((r) => r.url), prefix: `mixed${process.pid}` } };
    ringcast = await startTestNode({ engine, channel: { namespaces }, node: { name: 'ringcast-node' } });
    centrifugo = await startCentrifugo({ engine, channel: { namespaces }, node: { name: 'centrifugo-node' } });
  }, 60_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(async () => {
    await ringcast?.stop();
    await centrifugo?.stop();
    await Promise.all((redis ?? []).map((r) => r.stop()));
  });

  const nodes = () => [
    { name: 'Ringcast', wsUrl: ringcast.wsUrl, api: async (m: string, b: unknown) => (await ringcast.api(m, b)).json },
    { name: 'Centrifugo', wsUrl: centrifugo.wsUrl, api: (m: string, b: unknown) => centrifugo.api(m, b) },
  ];

  async function connect(wsUrl: string, user: string): Promise<Client> {
    const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: user }) });
    clients.push(client);
    client.connect();
    await client.ready(5000);
    return client;
  }

  it('lists both nodes in /api/info on each', async () => {
    for (const node of nodes()) {
      await waitFor(`both nodes in ${node.name}'s /api/info`, async () => {
        const info = (await node.api('info', {})) as { result: { nodes: Array<{ name: string }> } };
        const names = info.result.nodes.map((n) => n.name).sort();
        return names.length === 2 && names[0] === 'centrifugo-node' && names[1] === 'ringcast-node';
      }, 15_000, 200);
    }
  });

  for (const [from, to] of [
    [0, 1],
    [1, 0],
  ] as const) {
    it(`delivers publications, join and leave from ${['Ringcast', 'Centrifugo'][from]} to ${['Ringcast', 'Centrifugo'][to]}, on both shards`, async () => {
      const publisher = nodes()[from]!;
      const subscriberNode = nodes()[to]!;
      const channels = [...channelsOnShard(`mix:p${from}a-`, 0, 2, 2), ...channelsOnShard(`mix:p${from}b-`, 1, 2, 2)];
      const subscriber = await connect(subscriberNode.wsUrl, `sub-${to}`);
      const received = new Map<string, unknown[]>();
      const joins: string[] = [];
      const leaves: string[] = [];
      for (const channel of channels) {
        const sub = subscriber.newSubscription(channel);
        received.set(channel, []);
        sub.on('publication', (ctx) => received.get(channel)!.push(ctx.data));
        sub.on('join', (ctx) => joins.push(`${channel}/${ctx.info.user}`));
        sub.on('leave', (ctx) => leaves.push(`${channel}/${ctx.info.user}`));
        sub.subscribe();
        await sub.ready(5000);
      }
      for (const channel of channels) {
        expect(await publisher.api('publish', { channel, data: { channel } })).toHaveProperty('result.offset', 1);
      }
      await waitFor('publications from the other node', () => channels.every((ch) => received.get(ch)!.length === 1));
      for (const channel of channels) expect(received.get(channel)).toEqual([{ channel }]);

      const other = await connect(publisher.wsUrl, `peer-${from}`);
      const peerSub = other.newSubscription(channels[0]!);
      peerSub.subscribe();
      await peerSub.ready(5000);
      await waitFor('join from the other node', () => joins.includes(`${channels[0]}/peer-${from}`));
      // A client publication on the other node.
      await peerSub.publish({ from: 'client' });
      await waitFor('client publication', () => received.get(channels[0]!)!.length === 2);
      peerSub.unsubscribe();
      await waitFor('leave from the other node', () => leaves.includes(`${channels[0]}/peer-${from}`));
    });

    it(`recovers on ${['Ringcast', 'Centrifugo'][to]} what was published through ${['Ringcast', 'Centrifugo'][from]}`, async () => {
      const publisher = nodes()[from]!;
      const channel = `mix:recover-${from}`;
      const first = (await publisher.api('publish', { channel, data: { n: 1 } })) as { result: { offset: number; epoch: string } };
      await publisher.api('publish', { channel, data: { n: 2 } });
      await publisher.api('publish', { channel, data: { n: 3 } });
      const client = await connect(nodes()[to]!.wsUrl, `rec-${to}`);
      const sub = client.newSubscription(channel, { since: { offset: first.result.offset, epoch: first.result.epoch } });
      const recovered: unknown[] = [];
      let wasRecovered = false;
      sub.on('publication', (ctx) => recovered.push(ctx.data));
      sub.on('subscribed', (ctx) => (wasRecovered = ctx.recovered));
      sub.subscribe();
      await sub.ready(5000);
      await waitFor('recovered publications', () => recovered.length === 2);
      expect(wasRecovered).toBe(true);
      expect(recovered).toEqual([{ n: 2 }, { n: 3 }]);
      const history = (await nodes()[to]!.api('history', { channel, limit: 10 })) as {
        result: { publications: Array<{ data: unknown; offset: number }>; epoch: string };
      };
      expect(history.result.epoch).toBe(first.result.epoch);
      expect(history.result.publications.map((p) => p.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });
  }

  it('shares presence both ways', async () => {
    const channel = 'mix:presence';
    for (const [i, node] of nodes().entries()) {
      const client = await connect(node.wsUrl, `present-${i}`);
      const sub = client.newSubscription(channel);
      sub.subscribe();
      await sub.ready(5000);
    }
    for (const node of nodes()) {
      const presence = (await node.api('presence', { channel })) as { result: { presence: Record<string, { user: string }> } };
      expect(Object.values(presence.result.presence).map((p) => p.user).sort(), node.name).toEqual(['present-0', 'present-1']);
      expect(await node.api('presence_stats', { channel }), node.name).toEqual({ result: { num_clients: 2, num_users: 2 } });
    }
  });

  it('answers each other\'s channels surveys and user disconnects', async () => {
    const [r, c] = nodes() as [ReturnType<typeof nodes>[0], ReturnType<typeof nodes>[1]];
    const onR = await connect(r.wsUrl, 'on-ringcast');
    const onC = await connect(c.wsUrl, 'on-centrifugo');
    for (const [client, channel] of [
      [onR, 'mix:survey-r'],
      [onC, 'mix:survey-c'],
    ] as const) {
      const sub = client.newSubscription(channel);
      sub.subscribe();
      await sub.ready(5000);
    }
    for (const node of nodes()) {
      const listed = (await node.api('channels', { pattern: 'mix:survey-*' })) as { result: { channels: object } };
      expect(Object.keys(listed.result.channels).sort(), node.name).toEqual(['mix:survey-c', 'mix:survey-r']);
    }
    let codeR = 0;
    let codeC = 0;
    onR.on('disconnected', (ctx) => (codeR = ctx.code));
    onC.on('disconnected', (ctx) => (codeC = ctx.code));
    await c.api('disconnect', { user: 'on-ringcast' });
    await r.api('disconnect', { user: 'on-centrifugo' });
    await waitFor('disconnects across implementations', () => codeR !== 0 && codeC !== 0);
    expect([codeR, codeC]).toEqual([3503, 3503]);
  });
});

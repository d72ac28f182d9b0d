import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

type Client = InstanceType<typeof Centrifuge>;

let node: TestNode;
const clients: Client[] = [];

beforeAll(async () => {
  node = await startTestNode({
    channel: {
      namespaces: [
        {
          name: 'room',
          allow_subscribe_for_client: true,
          presence: true,
          join_leave: true,
          allow_presence_for_subscriber: true,
        },
        {
          name: 'quotes',
          allow_subscribe_for_client: true,
          history_size: 10,
          history_ttl: '60s',
          force_positioning: true,
          allowed_delta_types: ['fossil'],
          delta_publish: true,
        },
        { name: 'nopresence', allow_subscribe_for_client: true, allow_history_for_client: true },
      ],
    },
  });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(() => node.stop());

async function connect(user: string, proto: 'json' | 'protobuf' = 'json'): Promise<Client> {
  const token = await hs256Token({ sub: user });
  const client =
    proto === 'json'
      ? new Centrifuge(node.wsUrl, { websocket: WebSocket, token })
      : (new CentrifugeProtobuf(node.wsUrl, { websocket: WebSocket, token }) as unknown as Client);
  clients.push(client);
  client.connect();
  await client.ready(5000);
  return client;
}

describe('presence and join/leave', () => {
  it('counts go to 1 and back to 0 through the SDK and the API; join and leave arrive', async () => {
    const watcher = await connect('watcher');
    const watch = watcher.newSubscription('room:lobby', { joinLeave: true });
    const joins: string[] = [];
    const leaves: string[] = [];
    watch.on('join', (ctx) => joins.push(ctx.info.user));
    watch.on('leave', (ctx) => leaves.push(ctx.info.user));
    watch.subscribe();
    await watch.ready(5000);

    const stats = async () => ((await node.api('presence_stats', { channel: 'room:lobby' })).json as { result: { num_clients: number; num_users: number } }).result;
    expect(await stats()).toEqual({ num_clients: 1, num_users: 1 });

    const guest = await connect('guest');
    const sub = guest.newSubscription('room:lobby');
    sub.subscribe();
    await sub.ready(5000);
    await waitFor('join event', () => joins.includes('guest'));
    expect(await stats()).toEqual({ num_clients: 2, num_users: 2 });
    const viaSdk = await sub.presence();
    expect(Object.values(viaSdk.clients).map((c) => c.user).sort()).toEqual(['guest', 'watcher']);
    expect(await sub.presenceStats()).toEqual({ numClients: 2, numUsers: 2 });
    const viaApi = (await node.api('presence', { channel: 'room:lobby' })).json as { result: { presence: Record<string, { user: string }> } };
    expect(Object.values(viaApi.result.presence).map((c) => c.user).sort()).toEqual(['guest', 'watcher']);

    sub.unsubscribe();
    await waitFor('leave event', () => leaves.includes('guest'));
    expect(await stats()).toEqual({ num_clients: 1, num_users: 1 });
    watch.unsubscribe();
    await waitFor('presence empty', async () => (await stats()).num_clients === 0);
  });

  it('a connection that dies without a close frame leaves presence', async () => {
    const raw = await RawClient.open(node.wsUrl);
    raw.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'crasher' }) } }, { id: 2, subscribe: { channel: 'room:crash' } });
    await raw.reply(2);
    const stats = async () => ((await node.api('presence_stats', { channel: 'room:crash' })).json as { result: { num_clients: number } }).result;
    expect((await stats()).num_clients).toBe(1);
    raw.ws.terminate(); // TCP teardown, no close handshake
    await waitFor('presence entry gone', async () => (await stats()).num_clients === 0);
  });

  it('presence and history on channels without them answer 108; bad input answers 107/102/103', async () => {
    expect((await node.api('presence', { channel: 'nopresence:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await node.api('history', { channel: 'nopresence:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await node.api('presence', { channel: 'nope:x' })).json).toMatchObject({ error: { code: 102 } });
    // A negative limit is the whole stream in Centrifugo (memstream Get: limit < 0 = no limit).
    expect((await node.api('history', { channel: 'quotes:x', limit: -5 })).json).toMatchObject({ result: { publications: expect.any(Array) } });
    expect((await node.api('history', { channel: 'quotes:x', since: { offset: 0, epoch: 'x' }, reverse: true })).json).toMatchObject({
      error: { code: 107 },
    });
    expect((await node.api('history', { channel: 'quotes:x', since: { offset: 1, epoch: 'other' } })).json).toMatchObject({
      error: { code: 112 },
    });
    const raw = await RawClient.open(node.wsUrl);
    raw.sendJson(
      { id: 1, connect: { token: await hs256Token({ sub: 'nosy' }) } },
      { id: 2, presence: { channel: 'room:secret' } },
      { id: 3, history: { channel: 'quotes:x', limit: 10 } },
    );
    expect((await raw.reply(2))['error']).toMatchObject({ code: 103 });
    expect((await raw.reply(3))['error']).toMatchObject({ code: 103 });
    raw.close();
  });
});

describe.each(['json', 'protobuf'] as const)('fossil delta (%s)', (proto) => {
  it('a delta subscription receives patches and reconstructs every payload exactly', async () => {
    const client = await connect('delta-' + proto, proto);
    const channel = `quotes:${proto}`;
    const sub = client.newSubscription(channel, { delta: 'fossil' });
    const received: unknown[] = [];
    sub.on('publication', (ctx) =>
      received.push(proto === 'json' ? ctx.data : JSON.parse(new TextDecoder().decode(ctx.data as Uint8Array))),
    );
    sub.subscribe();
    await sub.ready(5000);
    const payloads = Array.from({ length: 20 }, (_, i) => ({
      symbol: 'RING',
      description: 'A long, mostly unchanging description so that a patch is much smaller than the payload.',
      price: 100 + i,
      volume: 5000 + i * 3,
    }));
    for (const data of payloads) await node.api('publish', { channel, data });
    await waitFor('all publications', () => received.length === payloads.length);
    expect(received).toEqual(payloads);
    const stats = sub.deltaStats();
    expect(stats.numDeltaPayloads).toBeGreaterThan(10);
    expect(stats.bytesReceived).toBeLessThan(stats.bytesDecoded / 2);
  });
});

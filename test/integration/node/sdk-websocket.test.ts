import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

type Client = InstanceType<typeof Centrifuge>;

const protocols = [
  {
    name: 'json',
    create: (url: string, opts: Record<string, unknown>): Client => new Centrifuge(url, { websocket: WebSocket, ...opts }),
    encode: (value: unknown): unknown => value,
    decode: (data: unknown): unknown => data,
  },
  {
    name: 'protobuf',
    create: (url: string, opts: Record<string, unknown>): Client =>
      new CentrifugeProtobuf(url, { websocket: WebSocket, ...opts }) as unknown as Client,
    encode: (value: unknown): unknown => new TextEncoder().encode(JSON.stringify(value)),
    decode: (data: unknown): unknown => JSON.parse(new TextDecoder().decode(data as Uint8Array)),
  },
] as const;

let node: TestNode;
const clients: Client[] = [];

beforeAll(async () => {
  node = await startTestNode({
    channel: {
      without_namespace: { allow_subscribe_for_client: true },
      namespaces: [
        { name: 'chat', allow_subscribe_for_client: true, allow_publish_for_subscriber: true },
        { name: 'news', allow_subscribe_for_client: true },
      ],
    },
  });
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await node.stop();
});

function track(client: Client): Client {
  clients.push(client);
  return client;
}

async function connected(client: Client): Promise<void> {
  client.connect();
  await client.ready(5000);
}

describe.each(protocols)('official SDK over WebSocket ($name)', (proto) => {
  it('connects with an HS256 token and receives a publication sent through the HTTP API', async () => {
    const client = track(proto.create(node.wsUrl, { token: await hs256Token({ sub: 'alice' }, { expInSeconds: 3600 }) }));
    let clientId = '';
    client.on('connected', (ctx) => (clientId = ctx.client));
    await connected(client);
    expect(clientId).toMatch(/[0-9a-f-]{36}/);

    const sub = client.newSubscription(`news:${proto.name}`);
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(proto.decode(ctx.data)));
    sub.subscribe();
    await sub.ready(5000);

    const published = await node.api('publish', { channel: `news:${proto.name}`, data: { text: 'hello' } });
    expect(published).toEqual({ status: 200, json: { result: {} } });
    await waitFor('publication', () => received.length === 1);
    expect(received[0]).toEqual({ text: 'hello' });
  });

  it('publishes from the client where the namespace allows it, and gets 103 where it does not', async () => {
    const client = track(proto.create(node.wsUrl, { token: await hs256Token({ sub: 'bob' }) }));
    await connected(client);
    const chat = client.newSubscription(`chat:${proto.name}`);
    const received: unknown[] = [];
    chat.on('publication', (ctx) => received.push({ data: proto.decode(ctx.data), user: ctx.info?.user }));
    chat.subscribe();
    await chat.ready(5000);
    await chat.publish(proto.encode({ n: 1 }));
    await waitFor('own publication', () => received.length === 1);
    expect(received[0]).toEqual({ data: { n: 1 }, user: 'bob' });

    const news = client.newSubscription(`news:${proto.name}-pub`);
    news.subscribe();
    await news.ready(5000);
    await expect(news.publish(proto.encode({ n: 2 }))).rejects.toMatchObject({ code: 103 });
  });

  it('answers rpc with 108 when no RPC handler is configured', async () => {
    const client = track(proto.create(node.wsUrl, { token: await hs256Token({ sub: 'carol' }) }));
    await connected(client);
    await expect(client.rpc('anything', proto.encode({}))).rejects.toMatchObject({ code: 108 });
  });

  it('refreshes an expiring connection token and stays connected', async () => {
    let refreshes = 0;
    const client = track(
      proto.create(node.wsUrl, {
        token: await hs256Token({ sub: 'dave' }, { expInSeconds: 2 }),
        getToken: async () => {
          refreshes++;
          return hs256Token({ sub: 'dave' }, { expInSeconds: 3600 });
        },
      }),
    );
    let disconnects = 0;
    client.on('disconnected', () => disconnects++);
    await connected(client);
    await waitFor('token refresh', () => refreshes >= 1, 10_000);
    // After the refresh the connection is still the same one and still answers commands.
    await expect(client.rpc('x', proto.encode({}))).rejects.toMatchObject({ code: 108 });
    expect(client.state).toBe('connected');
    expect(disconnects).toBe(0);
  });

  it('is disconnected by /api/disconnect', async () => {
    const user = `erin-${proto.name}`;
    const client = track(proto.create(node.wsUrl, { token: await hs256Token({ sub: user }) }));
    const events: Array<{ code: number; reason: string }> = [];
    client.on('disconnected', (ctx) => events.push({ code: ctx.code, reason: ctx.reason }));
    await connected(client);
    expect(await node.api('disconnect', { user })).toEqual({ status: 200, json: { result: {} } });
    await waitFor('disconnect', () => events.length === 1);
    expect(events[0]).toEqual({ code: 3503, reason: 'force disconnect' });
  });
});

describe('isolation', () => {
  it('keeps serving one client while another sends a malformed frame and gets 3501', async () => {
    const good = track(new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'good' }) }));
    await connected(good);
    const sub = good.newSubscription('news:isolation');
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(ctx.data));
    sub.subscribe();
    await sub.ready(5000);

    const bad = await RawClient.open(node.wsUrl);
    bad.send('{"id":1,"connect":{}'); // truncated JSON
    expect(await bad.closed()).toEqual({ code: 3501, reason: 'bad request' });

    await node.api('publish', { channel: 'news:isolation', data: { still: 'alive' } });
    await waitFor('publication after the bad client', () => received.length === 1);
    expect(received[0]).toEqual({ still: 'alive' });
  });
});

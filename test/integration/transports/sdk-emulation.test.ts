import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';
import { emulationTransports, emulationVariants, type Client } from './sdk-clients.js';

// The official centrifuge SDK over HTTP-streaming (JSON and protobuf) and SSE: the connect command goes
// in the stream request, every later command (subscribe, publish, presence, rpc, refresh, pongs) through
// POST /emulation with the session and node ids from the connect reply.

let node: TestNode;
const clients: Client[] = [];

beforeAll(async () => {
  node = await startTestNode({
    ...emulationTransports,
    channel: {
      namespaces: [
        {
          name: 'chat',
          allow_subscribe_for_client: true,
          allow_publish_for_subscriber: true,
          presence: true,
          join_leave: true,
          force_push_join_leave: true,
          allow_presence_for_subscriber: true,
        },
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

const slug = (name: string): string => name.replace(/ /g, '-');

describe.each(emulationVariants)('official SDK over $name', (v) => {
  it('connects over its transport and receives a publication sent through the HTTP API', async () => {
    const client = track(v.create(node.httpUrl, { token: await hs256Token({ sub: 'alice' }, { expInSeconds: 3600 }) }));
    let transport = '';
    client.on('connected', (ctx) => (transport = ctx.transport));
    await connected(client);
    expect(transport).toBe(v.transport);

    const channel = `news:${slug(v.name)}`;
    const sub = client.newSubscription(channel);
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(v.decode(ctx.data)));
    sub.subscribe();
    await sub.ready(5000);

    expect(await node.api('publish', { channel, data: { text: 'hello' } })).toEqual({ status: 200, json: { result: {} } });
    await waitFor('publication', () => received.length === 1);
    expect(received[0]).toEqual({ text: 'hello' });
  });

  it('publishes from the client, sees presence and join/leave, and gets 103 where publishing is not allowed', async () => {
    const channel = `chat:${slug(v.name)}`;
    const bob = track(v.create(node.httpUrl, { token: await hs256Token({ sub: 'bob' }) }));
    await connected(bob);
    const chat = bob.newSubscription(channel);
    const received: unknown[] = [];
    const joins: string[] = [];
    chat.on('publication', (ctx) => received.push({ data: v.decode(ctx.data), user: ctx.info?.user }));
    chat.on('join', (ctx) => joins.push(ctx.info.user));
    chat.subscribe();
    await chat.ready(5000);

    const carol = track(v.create(node.httpUrl, { token: await hs256Token({ sub: 'carol' }) }));
    await connected(carol);
    const carolChat = carol.newSubscription(channel);
    carolChat.subscribe();
    await carolChat.ready(5000);
    await waitFor('join of carol', () => joins.includes('carol'));

    const presence = await chat.presence();
    expect(Object.values(presence.clients).map((c) => c.user).sort()).toEqual(['bob', 'carol']);
    expect(await chat.presenceStats()).toEqual({ numClients: 2, numUsers: 2 });

    await carolChat.publish(v.encode({ n: 1 }));
    await waitFor('publication from carol', () => received.length === 1);
    expect(received[0]).toEqual({ data: { n: 1 }, user: 'carol' });

    const news = bob.newSubscription(`news:${slug(v.name)}-pub`);
    news.subscribe();
    await news.ready(5000);
    await expect(news.publish(v.encode({ n: 2 }))).rejects.toMatchObject({ code: 103 });
  });

  it('answers rpc with 108 when no RPC handler is configured', async () => {
    const client = track(v.create(node.httpUrl, { token: await hs256Token({ sub: 'dave' }) }));
    await connected(client);
    await expect(client.rpc('anything', v.encode({}))).rejects.toMatchObject({ code: 108 });
  });

  it('refreshes an expiring connection token through emulation and stays connected', async () => {
    let refreshes = 0;
    const client = track(
      v.create(node.httpUrl, {
        token: await hs256Token({ sub: 'erin' }, { expInSeconds: 2 }),
        getToken: async () => {
          refreshes++;
          return hs256Token({ sub: 'erin' }, { expInSeconds: 3600 });
        },
      }),
    );
    let disconnects = 0;
    client.on('disconnected', () => disconnects++);
    await connected(client);
    await waitFor('token refresh', () => refreshes >= 1, 10_000);
    await expect(client.rpc('x', v.encode({}))).rejects.toMatchObject({ code: 108 });
    expect(client.state).toBe('connected');
    expect(disconnects).toBe(0);
  });

  it('is disconnected by /api/disconnect through a disconnect push', async () => {
    const user = `frank-${slug(v.name)}`;
    const client = track(v.create(node.httpUrl, { token: await hs256Token({ sub: user }) }));
    const events: Array<{ code: number; reason: string }> = [];
    client.on('disconnected', (ctx) => events.push({ code: ctx.code, reason: ctx.reason }));
    await connected(client);
    expect(await node.api('disconnect', { user })).toEqual({ status: 200, json: { result: {} } });
    await waitFor('disconnect', () => events.length === 1);
    expect(events[0]).toEqual({ code: 3503, reason: 'force disconnect' });
    await waitFor('session released', () => node.node.ctx.hub.userSessions(user) === undefined);
  });

  it('is told 3500 for an invalid token and does not reconnect', async () => {
    const client = track(v.create(node.httpUrl, { token: await hs256Token({ sub: 'mallory' }, { secret: 'wrong-secret-wrong-secret-wrong!' }) }));
    const events: Array<{ code: number; reason: string }> = [];
    client.on('disconnected', (ctx) => events.push({ code: ctx.code, reason: ctx.reason }));
    client.connect();
    await waitFor('disconnect', () => events.length === 1);
    expect(events[0]).toEqual({ code: 3500, reason: 'invalid token' });
    expect(client.state).toBe('disconnected');
  });
});

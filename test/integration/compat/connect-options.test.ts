// Client options Ringcast used to load without acting on, checked side by side with Centrifugo (CENTRIFUGO_BIN).
// Comments name the place in Centrifugo's source each expectation follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const config = {
  client: {
    disallow_anonymous_connection_tokens: true,
    connect_include_server_time: true,
    subscribe_to_user_personal_channel: { enabled: true, single_connection: true },
  },
  rpc: { ping: { enabled: true, method: 'ping' } },
  channel: {
    without_namespace: { presence: true, allow_subscribe_for_client: true },
    namespaces: [{ name: 'news', allow_subscribe_for_client: true, allow_subscribe_for_anonymous: true }, { name: 'closed' }],
  },
};

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('client.connection_limit on %s', (target) => {
  // middleware/connlimit.go: at the limit a new connection is refused with HTTP 503 before the upgrade.
  it('refuses a connection past client.connection_limit with HTTP 503', async () => {
    const server = await startCompatServer(target, { client: { connection_limit: 2 } });
    try {
      const clients: RawClient[] = [];
      for (const user of ['l1', 'l2']) {
        const client = await RawClient.open(server.wsUrl);
        client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } });
        await client.reply(1);
        clients.push(client);
      }
      await expect(RawClient.open(server.wsUrl)).rejects.toThrow(/503/);
      for (const client of clients) client.close();
    } finally {
      await server.stop();
    }
  });
});

describe.each(compatTargets)('anonymous, insecure and limits at connect on %s', (target) => {
  async function withServer(overrides: Record<string, unknown>, run: (server: CompatServer) => Promise<void>): Promise<void> {
    const server = await startCompatServer(target, overrides);
    try {
      await run(server);
    } finally {
      await server.stop();
    }
  }

  // handler.go OnClientConnecting: no token and allow_anonymous_connect_without_token → user "".
  it('allow_anonymous_connect_without_token connects without a token as user ""', async () => {
    await withServer({ client: { allow_anonymous_connect_without_token: true } }, async (server) => {
      const client = await RawClient.open(server.wsUrl);
      client.sendJson({ id: 1, connect: {} });
      expect((await client.reply(1))['connect']).toBeDefined();
      client.close();
    });
  });

  // handler.go OnClientConnecting: insecure mode zeroes the token's expiry.
  it('client.insecure ignores the token expiry', async () => {
    await withServer({ client: { insecure: true } }, async (server) => {
      const client = await RawClient.open(server.wsUrl);
      client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'i' }, { expInSeconds: 100 }) } });
      const result = (await client.reply(1))['connect'] as Record<string, unknown>;
      expect(result['expires']).toBeUndefined();
      client.close();
    });
  });

  // jwtverify VerifyConnectToken: a token channel of an unknown namespace → ErrorUnknownChannel on connect;
  // client.go connectCmd: more server-side subscriptions than client.channel_limit → DisconnectChannelLimit.
  it('a token channel in an unknown namespace answers 102; too many server-side subscriptions close with 3505', async () => {
    await withServer({ client: { channel_limit: 2 }, channel: { without_namespace: {} } }, async (server) => {
      const unknown = await RawClient.open(server.wsUrl);
      unknown.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 't', channels: ['zz:a'] }) } });
      expect((await unknown.reply(1))['error']).toMatchObject({ code: 102 });
      unknown.close();
      const many = await RawClient.open(server.wsUrl);
      many.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 't', channels: ['a', 'b', 'c'] }) } });
      expect((await many.closed()).code).toBe(3505);
    });
  });

  // api.go Subscribe → client.go Subscribe: a connection already at client.channel_limit is closed with 3505.
  it('a server API subscribe past client.channel_limit closes that connection with 3505', async () => {
    await withServer({ client: { channel_limit: 1 }, channel: { without_namespace: { allow_subscribe_for_client: true } } }, async (server) => {
      const client = await RawClient.open(server.wsUrl);
      client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'full' }) } }, { id: 2, subscribe: { channel: 'one' } });
      await client.reply(2);
      await server.api('subscribe', { user: 'full', channel: 'two' });
      expect((await client.closed()).code).toBe(3505);
    });
  });
});

describe.each(compatTargets)('connect and RPC options on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
  });
  afterAll(() => server.stop());

  async function open(connect: Record<string, unknown>): Promise<{ client: RawClient; reply: Record<string, unknown> }> {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect });
    const reply = await client.reply(1);
    return { client, reply };
  }

  // handler.go OnClientConnecting: a token with an empty user and disallow_anonymous_connection_tokens →
  // DisconnectPermissionDenied (3507).
  it('client.disallow_anonymous_connection_tokens refuses a token without a user with 3507', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: '' }) } });
    expect((await client.closed()).code).toBe(3507);
  });

  // client.go connectCmd: ConnectResult.time is the server's Unix time in milliseconds.
  it('client.connect_include_server_time puts the server time (ms) in the connect result', async () => {
    const before = Date.now();
    const { client, reply } = await open({ token: await hs256Token({ sub: 'timer' }) });
    const time = (reply['connect'] as { time: number }).time;
    expect(time).toBeGreaterThanOrEqual(before - 1000);
    expect(time).toBeLessThanOrEqual(Date.now() + 1000);
    client.close();
  });

  // app/run.go: rpc.ping registers an RPC extension answering an empty result; handler.go OnRPC answers
  // any other method ErrorMethodNotFound (104).
  it('rpc.ping answers the ping method with an empty result and other methods 104', async () => {
    const { client } = await open({ token: await hs256Token({ sub: 'rpc' }) });
    client.sendJson({ id: 2, rpc: { method: 'ping' } }, { id: 3, rpc: { method: 'other', data: {} } });
    expect(await client.reply(2)).toEqual({ id: 2, rpc: {} });
    expect((await client.reply(3))['error']).toMatchObject({ code: 104 });
    client.close();
  });

  // handler.go OnClientConnecting: PersonalChannel(user) = user_boundary + user without a namespace; the
  // connect result lists it under subs.
  it('subscribe_to_user_personal_channel lists #<user> in the connect result', async () => {
    const { client, reply } = await open({ token: await hs256Token({ sub: 'bob' }) });
    expect(Object.keys((reply['connect'] as { subs: object }).subs)).toEqual(['#bob']);
    await server.api('publish', { channel: '#bob', data: { hi: 'bob' } });
    await waitFor('personal publication', () => client.replies().find((r) => r['push']));
    expect(client.replies().find((r) => r['push'])).toEqual({ push: { channel: '#bob', pub: { data: { hi: 'bob' } } } });
    client.close();
  });

  // handler.go OnClientConnecting single_connection: presence in the personal channel → the user's other
  // connections get DisconnectConnectionLimit (3504); the new one connects.
  it('single_connection disconnects the user\'s earlier connection with 3504', async () => {
    const { client: first } = await open({ token: await hs256Token({ sub: 'solo' }) });
    await waitFor('presence of the first connection', async () => {
      const stats = (await server.api('presence_stats', { channel: '#solo' })).json as { result?: { num_clients: number } };
      return stats.result?.num_clients === 1;
    });
    const { client: second, reply } = await open({ token: await hs256Token({ sub: 'solo' }) });
    expect(reply['connect']).toBeDefined();
    expect((await first.closed()).code).toBe(3504);
    second.close();
  });

  // handler.go OnClientConnecting: channels in the connect request's subs become server-side subscriptions when
  // the client could subscribe to them itself; others are left out; an unknown namespace is DisconnectBadRequest.
  it('channels the client names in connect subs are subscribed server-side where allowed', async () => {
    const { client, reply } = await open({ token: await hs256Token({ sub: 'subs' }), subs: { 'news:a': {}, 'closed:b': {} } });
    expect(Object.keys((reply['connect'] as { subs: object }).subs).sort()).toEqual(['#subs', 'news:a']);
    client.close();
    const bad = await RawClient.open(server.wsUrl);
    bad.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'subs' }), subs: { 'nope:x': {} } } });
    expect((await bad.closed()).code).toBe(3501);
  });

  // jwtverify VerifyConnectToken: `subs` wins over `channels`; each sub carries its data and overrides.
  it('a token with subs ignores channels and applies each sub\'s data', async () => {
    const token = await hs256Token({ sub: 'claims', channels: ['news:ignored'], subs: { 'news:x': { data: { welcome: true } } } });
    const { client, reply } = await open({ token });
    const subs = (reply['connect'] as { subs: Record<string, Record<string, unknown>> }).subs;
    expect(Object.keys(subs).sort()).toEqual(['#claims', 'news:x']);
    expect(subs['news:x']).toEqual({ data: { welcome: true } });
    client.close();
  });
});

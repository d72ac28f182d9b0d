// Edge values of the proxies, frame by frame, side by side with Centrifugo (CENTRIFUGO_BIN): who is asked when, and
// what the client gets. Comments name the place in Centrifugo's source each expectation follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { ProxyBackend, type BackendRequest } from '../../helpers/proxy-backend.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

if (!centrifugoBin) it.skip(`Centrifugo side of the proxy edges — ${centrifugoSkipReason}`, () => undefined);

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe.each(compatTargets)('proxy edges on %s', (target) => {
  let backend: ProxyBackend;
  let server: CompatServer;
  const logs: string[] = [];
  const open: RawClient[] = [];
  const userOf = (request: BackendRequest): string => /session=([\w-]+)/.exec(request.headers['cookie'] ?? '')?.[1] ?? '';

  beforeAll(async () => {
    backend = await ProxyBackend.start('http');
    backend.on('connect', (request) => {
      const user = userOf(request);
      switch (user) {
        case 'no-result':
          return {};
        case 'nobody':
          return { result: { user: '' } };
        case 'past':
          return { result: { user, expire_at: nowSeconds() - 10 } };
        case 'unknown-channel':
          return { result: { user, channels: ['zz:a'] } };
        case 'with-channels':
          return { result: { user, channels: ['open:a'], subs: { 'open:b': { data: { extra: 1 } } } } };
        case 'expiring':
          return { result: { user, expire_at: nowSeconds() + 60 } };
        case 'flaky-refresh':
          return { result: { user, expire_at: nowSeconds() + 1 } };
        default:
          return { result: { user } };
      }
    });
    backend.on('refresh', ({ body }) => (body['user'] === 'flaky-refresh' ? { raw: { status: 503, body: 'busy' } } : {}));
    backend.on('subscribe', ({ body }) => (body['channel'] === 'lease:short' ? { result: { expire_at: nowSeconds() + 60 } } : { result: {} }));
    backend.on('publish', () => ({ result: {} }));
    backend.on('rpc', () => ({ result: { data: { proxied: true } } }));
    const proxy = (event: Parameters<ProxyBackend['endpoint']>[0]): Record<string, unknown> => ({
      endpoint: backend.endpoint(event),
      http_headers: ['Cookie'],
    });
    server = await startCompatServer(target, {
      client: { proxy: { connect: { enabled: true, ...proxy('connect') }, refresh: { enabled: true, ...proxy('refresh') } } },
      channel: {
        proxy: { subscribe: proxy('subscribe'), publish: proxy('publish'), sub_refresh: proxy('sub_refresh') },
        namespaces: [
          { name: 'open', allow_subscribe_for_client: true },
          { name: 'guarded', subscribe_proxy_enabled: true, publish_proxy_enabled: true, allow_user_limited_channels: true },
          { name: 'lease', subscribe_proxy_enabled: true, sub_refresh_proxy_enabled: true },
          { name: 'short', subscribe_proxy_enabled: true },
        ],
      },
      rpc: { proxy: proxy('rpc'), without_namespace: { proxy_enabled: true }, ping: { enabled: true } },
    }, { logs });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.stop();
    await backend?.stop();
  });

  async function client(cookie?: string): Promise<RawClient> {
    const c = await RawClient.open(server.wsUrl, undefined, cookie ? { Cookie: `session=${cookie}` } : {});
    open.push(c);
    return c;
  }
  async function connected(cookie: string, connect: Record<string, unknown> = {}): Promise<{ c: RawClient; result: Record<string, unknown> }> {
    const c = await client(cookie);
    c.sendJson({ id: 1, connect });
    const reply = await c.reply(1);
    expect(reply['connect'], JSON.stringify(reply)).toBeDefined();
    return { c, result: reply['connect'] as Record<string, unknown> };
  }

  // handler.go OnClientConnecting: no result means no credentials → centrifuge "client credentials not found" → 3501.
  it('a connect answer without a result is a connection without credentials: 3501', async () => {
    const c = await client('no-result');
    c.sendJson({ id: 1, connect: {} });
    expect((await c.closed()).code).toBe(3501);
  });

  it('a result with an empty user connects anonymously', async () => {
    const { c } = await connected('nobody');
    c.sendJson({ id: 2, rpc: { method: 'who', data: {} } });
    expect((await c.reply(2))['rpc']).toEqual({ data: { proxied: true } });
    expect(backend.received('rpc').at(-1)!.body['user']).toBe('');
  });

  // centrifuge connectCmd: an expiry already past → ErrorExpired (110).
  it('an expire_at in the past answers 110', async () => {
    const c = await client('past');
    c.sendJson({ id: 1, connect: {} });
    expect((await c.reply(1))['error']).toMatchObject({ code: 110 });
  });

  // connect_handler.go: a result channel of an unknown namespace → ErrorUnknownChannel.
  it('a result channel of an unknown namespace answers 102', async () => {
    const c = await client('unknown-channel');
    c.sendJson({ id: 1, connect: {} });
    expect((await c.reply(1))['error']).toMatchObject({ code: 102 });
  });

  // connect_handler.go: `channels` and `subs` become server-side subscriptions; the client's own connect `subs`
  // are not processed for a proxied connection (processClientChannels stays false).
  it("subscribes to the result's channels and subs, not to the channels the client asks for", async () => {
    const { result } = await connected('with-channels', { subs: { 'open:c': {} } });
    const subs = result['subs'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(subs).sort()).toEqual(['open:a', 'open:b']);
    expect(subs['open:b']!['data']).toEqual({ extra: 1 });
    expect(backend.received('connect').at(-1)!.body['channels']).toEqual(['open:c']);
  });

  // Only connections without a token are proxied (handler.go OnClientConnecting).
  it('a connection with a token is not proxied', async () => {
    const before = backend.received('connect').length;
    const c = await client();
    c.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'token-user' }) } });
    expect((await c.reply(1))['connect']).toBeDefined();
    expect(backend.received('connect')).toHaveLength(before);
  });

  // With a refresh proxy refresh is server-side: no expiry in the connect result, a client refresh is 3501.
  it('with a refresh proxy the connect result has no expiry and a client refresh closes with 3501', async () => {
    const { c, result } = await connected('expiring');
    expect(result['expires']).toBeUndefined();
    expect(result['ttl']).toBeUndefined();
    c.sendJson({ id: 2, refresh: { token: await hs256Token({ sub: 'expiring' }) } });
    expect((await c.closed()).code).toBe(3501);
  });

  // handler.go OnSubscribe: a user-limited channel the user is in is allowed before the proxy is asked.
  it('a user-limited channel of the user is allowed without asking the subscribe proxy', async () => {
    const { c } = await connected('limited');
    const before = backend.received('subscribe').length;
    c.sendJson({ id: 2, subscribe: { channel: 'guarded:room#limited' } });
    expect((await c.reply(2))['subscribe']).toBeDefined();
    expect(backend.received('subscribe')).toHaveLength(before);
  });

  // subscribe_handler.go: the proxy's result replaces the client's positioned/recoverable wishes; with a
  // sub_refresh proxy the reply carries no expiry, and a client sub_refresh closes with 3501.
  it('subscriptions refreshed by a sub_refresh proxy: no expiry in the reply, a client sub_refresh is 3501', async () => {
    const { c } = await connected('leaser');
    c.sendJson({ id: 2, subscribe: { channel: 'lease:short' } });
    const reply = (await c.reply(2))['subscribe'] as Record<string, unknown>;
    expect(reply['expires']).toBeUndefined();
    c.sendJson({ id: 3, sub_refresh: { channel: 'lease:short', token: 'x' } });
    expect((await c.closed()).code).toBe(3501);
  });

  it('a subscribe proxy expiry without a sub_refresh proxy is told to the client', async () => {
    const { c } = await connected('short-lease');
    backend.on('subscribe', () => ({ result: { expire_at: nowSeconds() + 60 } }));
    c.sendJson({ id: 2, subscribe: { channel: 'short:x' } });
    const reply = (await c.reply(2))['subscribe'] as Record<string, unknown>;
    expect(reply['expires']).toBe(true);
    expect(reply['ttl']).toBeGreaterThan(50);
  });

  // handler.go OnPublish: with a publish proxy, the namespace's publish permissions are not consulted.
  it('the publish proxy decides even where the namespace would not let the client publish', async () => {
    const { c } = await connected('publisher');
    c.sendJson({ id: 2, publish: { channel: 'guarded:news', data: { a: 1 } } });
    expect((await c.reply(2))['publish']).toEqual({});
  });

  // refresh_handler.go: a refresh the backend cannot answer gives the connection another minute.
  it.runIf(target === 'ringcast')('a refresh the backend cannot answer keeps the connection for another minute', async () => {
    const { c } = await connected('flaky-refresh');
    // The failure is logged in the same turn the connection is extended (or would have been closed).
    await waitFor('the failed refresh', () => logs.some((l) => /refresh proxy call failed/.test(l) && /"user":"flaky-refresh"/.test(l)), 10_000, 50);
    c.sendJson({ id: 2, rpc: { method: 'ping' } });
    expect((await c.reply(2))['rpc']).toEqual({});
    expect(c.closeCode).toBeUndefined();
  });

  // handler.go OnRPC: RPC extensions (rpc.ping) answer before the proxy.
  it('rpc.ping is answered locally even with an RPC proxy', async () => {
    const { c } = await connected('pinger');
    const before = backend.received('rpc').length;
    c.sendJson({ id: 2, rpc: { method: 'ping' } });
    expect((await c.reply(2))['rpc']).toEqual({});
    expect(backend.received('rpc')).toHaveLength(before);
  });
});

// One suite for the proxies to the application backend, run with a real HTTP backend (node:http) and a real gRPC
// backend (@grpc/grpc-js) started by the test, against Ringcast and — when CENTRIFUGO_BIN is set — against Centrifugo
// with the same backend and the same configuration. Clients are the official centrifuge SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { ProxyBackend, type BackendKind, type BackendRequest } from '../../helpers/proxy-backend.js';
import { waitFor } from '../../helpers/wait-for.js';
import { once, rejection, sdkClient, type SdkClient } from './proxy-sdk-client.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The same configuration for Ringcast and Centrifugo: every proxy type on one backend. */
export function proxySuiteConfig(backend: ProxyBackend): Record<string, unknown> {
  const proxy = (event: Parameters<ProxyBackend['endpoint']>[0], more: Record<string, unknown> = {}): Record<string, unknown> => ({
    endpoint: backend.endpoint(event),
    timeout: '3s',
    ...more,
  });
  return {
    client: {
      proxy: {
        connect: { enabled: true, ...proxy('connect', { http_headers: ['Cookie'], emulated_headers: ['X-App-Token'] }) },
        refresh: { enabled: true, ...proxy('refresh', { include_connection_meta: true }) },
      },
      // Centrifugo checks subscription expiry on its presence ticks; both check it a second after expiry here.
      expired_sub_close_delay: '1s',
      presence_update_interval: '1s',
    },
    channel: {
      proxy: {
        subscribe: proxy('subscribe', { http_headers: ['Cookie'] }),
        publish: proxy('publish', { include_connection_meta: true }),
        sub_refresh: proxy('sub_refresh'),
      },
      namespaces: [
        { name: 'sec', subscribe_proxy_enabled: true, publish_proxy_enabled: true, presence: true, allow_presence_for_subscriber: true },
        { name: 'lease', subscribe_proxy_enabled: true, sub_refresh_proxy_enabled: true },
      ],
    },
    rpc: {
      proxy: proxy('rpc'),
      without_namespace: { proxy_enabled: true },
      namespaces: [
        { name: 'slow', proxy_enabled: true, proxy_name: 'slow' },
        { name: 'local', proxy_enabled: false },
      ],
    },
    proxies: [{ name: 'slow', endpoint: backend.endpoint('rpc'), timeout: '1500ms' }],
  };
}

/** The application: sessions by cookie, a guarded namespace, an echo RPC, leases that the backend extends. */
function installApplication(backend: ProxyBackend): void {
  const userOf = (request: BackendRequest): string | null => /session=([a-z0-9-]+)/.exec(request.headers['cookie'] ?? '')?.[1] ?? null;
  backend.on('connect', (request) => {
    const user = userOf(request);
    if (user === null) return { disconnect: { code: 4501, reason: 'no session' } };
    if (user === 'banned') return { error: { code: 1403, message: 'banned' } };
    if (user.startsWith('expiring')) return { result: { user, expire_at: nowSeconds() + 2, meta: { tier: 'trial' } } };
    return {
      result: {
        user,
        info: { name: user },
        data: { welcome: user, token: request.headers['x-app-token'] ?? null },
        meta: { tier: 'gold' },
      },
    };
  });
  backend.on('refresh', () => ({ result: { expire_at: nowSeconds() + 2 } }));
  backend.on('subscribe', ({ body }) => {
    const channel = String(body['channel']);
    if (channel.endsWith(':closed')) return { error: { code: 1403, message: 'not for you' } };
    if (channel.startsWith('lease:')) return { result: { expire_at: nowSeconds() + 1 } };
    return { result: { info: { seat: channel }, data: { joined: channel } } };
  });
  backend.on('sub_refresh', () => ({ result: { expire_at: nowSeconds() + 2 } }));
  backend.on('publish', ({ body }) => {
    const data = body['data'] as { text?: string };
    if (data.text === 'forbidden') return { error: { code: 1403, message: 'moderated' } };
    return { result: { data: { text: String(data.text).toUpperCase(), by: body['user'], tier: (body['meta'] as { tier?: string } | undefined)?.tier ?? null } } };
  });
  backend.on('rpc', ({ body }) => {
    switch (body['method']) {
      case 'slow:wait':
        return 'hang';
      case 'fail':
        return { error: { code: 1001, message: 'try later', temporary: true } };
      case 'kick':
        return { disconnect: { code: 4501, reason: 'kicked' } };
      default:
        return { result: { data: { method: body['method'], echo: body['data'], user: body['user'] } } };
    }
  });
}

if (!centrifugoBin) it.skip(`Centrifugo side of the proxy suite — ${centrifugoSkipReason}`, () => undefined);

const cases = (['http', 'grpc'] as const).flatMap((backend) => compatTargets.map((target) => ({ backend, target })));

describe.each(cases)('proxies over $backend on $target', ({ backend: kind, target }: { backend: BackendKind; target: 'ringcast' | 'centrifugo' }) => {
  let backend: ProxyBackend;
  let server: CompatServer;
  const clients: SdkClient[] = [];
  const client = (cookie: string | undefined, options: Record<string, unknown> = {}): SdkClient => {
    const c = sdkClient(server.wsUrl, { ...(cookie !== undefined ? { cookie } : {}), options });
    clients.push(c);
    return c;
  };
  const connected = async (c: SdkClient): Promise<{ client: string; data?: unknown }> => {
    const ready = once<{ client: string; data?: unknown }>(c, 'connected');
    c.connect();
    return ready;
  };

  beforeAll(async () => {
    backend = await ProxyBackend.start(kind);
    installApplication(backend);
    server = await startCompatServer(target, proxySuiteConfig(backend));
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
    await backend?.stop();
  });

  it('authenticates a connection without a token by its session cookie', async () => {
    const alice = client('session=alice', { headers: { 'X-App-Token': 'app-123' }, name: 'suite' });
    const ctx = await connected(alice);
    expect(ctx.data).toEqual({ welcome: 'alice', token: 'app-123' });
    const request = backend.received('connect').find((r) => r.body['client'] === ctx.client);
    expect(request).toBeDefined();
    expect(request!.headers['cookie']).toBe('session=alice');
    expect(request!.body).toMatchObject({ client: ctx.client, transport: 'websocket', protocol: 'json', encoding: 'json', name: 'suite' });
    // The connection is alice's: an RPC through the proxy carries her user id.
    const reply = await alice.rpc('whoami', { q: 1 });
    expect(reply.data).toEqual({ method: 'whoami', echo: { q: 1 }, user: 'alice' });
  });

  it("passes the backend's disconnect and error at connect to the SDK with their codes", async () => {
    const anonymous = client(undefined);
    const disconnected = once<{ code: number; reason: string }>(anonymous, 'disconnected');
    anonymous.connect();
    expect(await disconnected).toMatchObject({ code: 4501, reason: 'no session' });

    const banned = client('session=banned');
    const refused = once<{ code: number; reason: string }>(banned, 'disconnected');
    banned.connect();
    expect(await refused).toMatchObject({ code: 1403, reason: 'banned' });
  });

  it('lets the backend allow or deny subscriptions, with its channel info and data', async () => {
    const bob = client('session=bob');
    await connected(bob);
    const room = bob.newSubscription('sec:room');
    const subscribed = once<{ data?: unknown }>(room, 'subscribed');
    room.subscribe();
    expect((await subscribed).data).toEqual({ joined: 'sec:room' });
    const presence = await room.presence();
    const entry = Object.values(presence.clients)[0] as { user: string; connInfo?: unknown; chanInfo?: unknown };
    expect(entry).toMatchObject({ user: 'bob', connInfo: { name: 'bob' }, chanInfo: { seat: 'sec:room' } });
    const request = backend.received('subscribe').find((r) => r.body['channel'] === 'sec:room');
    expect(request!.body).toMatchObject({ user: 'bob', channel: 'sec:room' });
    expect(request!.headers['cookie']).toBe('session=bob');

    const closed = bob.newSubscription('sec:closed');
    const unsubscribed = once<{ code: number; reason: string }>(closed, 'unsubscribed');
    closed.subscribe();
    expect(await unsubscribed).toMatchObject({ code: 1403, reason: 'not for you' });
  });

  it('publishes what the backend rewrote, and refuses what it refuses', async () => {
    const reader = client('session=reader');
    await connected(reader);
    const sub = reader.newSubscription('sec:chat');
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(ctx.data));
    sub.subscribe();
    await sub.ready(5000);

    const writer = client('session=writer');
    await connected(writer);
    await writer.publish('sec:chat', { text: 'hello' });
    await waitFor('rewritten publication', () => received.length === 1);
    // Upper-cased by the backend, which also saw the writer's user and connection meta.
    expect(received[0]).toEqual({ text: 'HELLO', by: 'writer', tier: 'gold' });

    expect(await rejection(writer.publish('sec:chat', { text: 'forbidden' }))).toMatchObject({ code: 1403, message: 'moderated' });
  });

  it('answers RPC calls from the backend, with its errors, disconnects and the namespace rules', async () => {
    const carol = client('session=carol');
    await connected(carol);
    expect((await carol.rpc('sum', [1, 2])).data).toEqual({ method: 'sum', echo: [1, 2], user: 'carol' });
    expect(await rejection(carol.rpc('fail', {}))).toMatchObject({ code: 1001, message: 'try later', temporary: true });
    // An unknown RPC namespace is 104, a namespace without a proxy 108.
    expect(await rejection(carol.rpc('nowhere:x', {}))).toMatchObject({ code: 104 });
    expect(await rejection(carol.rpc('local:x', {}))).toMatchObject({ code: 108 });
    const disconnected = once<{ code: number; reason: string }>(carol, 'disconnected');
    void carol.rpc('kick', {}).catch(() => undefined);
    expect(await disconnected).toMatchObject({ code: 4501, reason: 'kicked' });
  });

  it('keeps a connection past its expiry while the refresh proxy extends it', async () => {
    const dave = client('session=expiring-dave');
    const events: string[] = [];
    dave.on('disconnected', () => events.push('disconnected'));
    dave.on('connecting', () => events.push('connecting'));
    await connected(dave);
    events.length = 0;
    const refreshes = (): BackendRequest[] => backend.received('refresh').filter((r) => r.body['user'] === 'expiring-dave');
    // The connection first expired within 2 s; the backend extends it by 2 s each time it is asked.
    await waitFor('two refreshes', () => refreshes().length >= 2, 10_000, 50);
    expect(events).toEqual([]);
    expect(refreshes()[0]!.body).toMatchObject({ user: 'expiring-dave', meta: { tier: 'trial' } });
    expect((await dave.rpc('ping', null)).data).toMatchObject({ user: 'expiring-dave' });
  });

  it('keeps a subscription past its expiry while the sub_refresh proxy extends it', async () => {
    const erin = client('session=erin');
    await connected(erin);
    const lease = erin.newSubscription('lease:desk');
    const unsubscribed: number[] = [];
    lease.on('unsubscribed', (ctx) => unsubscribed.push(ctx.code));
    lease.subscribe();
    await lease.ready(5000);
    const refreshes = (): BackendRequest[] => backend.received('sub_refresh').filter((r) => r.body['channel'] === 'lease:desk');
    await waitFor('two subscription refreshes', () => refreshes().length >= 2, 15_000, 50);
    expect(refreshes()[0]!.body).toMatchObject({ user: 'erin', channel: 'lease:desk' });
    expect(unsubscribed).toEqual([]);
    const received: unknown[] = [];
    lease.on('publication', (ctx) => received.push(ctx.data));
    await server.api('publish', { channel: 'lease:desk', data: { still: 'here' } });
    await waitFor('publication on the refreshed subscription', () => received.length === 1);
  });

  it('answers 100 when the backend hangs past the timeout, and serves other clients meanwhile', async () => {
    const waiting = client('session=waiting');
    const other = client('session=other');
    await connected(waiting);
    await connected(other);
    const started = Date.now();
    let settled = false;
    const hung = rejection(waiting.rpc('slow:wait', {})).finally(() => (settled = true));
    await waitFor('the slow call at the backend', () => backend.received('rpc').some((r) => r.body['method'] === 'slow:wait'));
    // While the first call waits for the backend, another client's calls are answered.
    expect((await other.rpc('echo', { i: 1 })).data).toMatchObject({ echo: { i: 1 } });
    expect(settled).toBe(false);
    expect(await hung).toMatchObject({ code: 100, temporary: true });
    // Not before the proxy's timeout (1500ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    // The connection that waited is fine afterwards.
    expect((await waiting.rpc('echo', 1)).data).toMatchObject({ echo: 1 });
  });
});

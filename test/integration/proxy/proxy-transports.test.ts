// Proxies for clients on every transport: the connection request's headers (a session cookie) reach the backend
// from HTTP-streaming and SSE (whose later commands arrive by separate POSTs to /emulation) and from unidirectional
// clients; a refused unidirectional connect becomes a disconnect (3004, or a configured mapping); a protobuf client's
// binary payloads travel base64-encoded with binary_encoding. Against Ringcast, and Centrifugo with CENTRIFUGO_BIN.
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { centrifugoBin, centrifugoSkipReason, compatTargets, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { ProxyBackend, type BackendKind, type BackendRequest } from '../../helpers/proxy-backend.js';
import { waitFor } from '../../helpers/wait-for.js';
import { RawStream } from '../transports/raw-stream.js';
import { emulationVariants, type Client } from '../transports/sdk-clients.js';
import { once, webSocketWithHeaders } from './proxy-sdk-client.js';

if (!centrifugoBin) it.skip(`Centrifugo side of the transport checks — ${centrifugoSkipReason}`, () => undefined);

const cases = (['http', 'grpc'] as const).flatMap((backend) => compatTargets.map((target) => ({ backend, target })));

/** A fetch that sends the session cookie with every request (the SDK's HTTP-streaming and emulation POSTs). */
function fetchWithCookie(cookie: string): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Cookie', cookie);
    return fetch(input, { ...init, headers });
  };
}

describe.each(cases)('proxies for every transport over $backend on $target', ({ backend: kind, target }: { backend: BackendKind; target: 'ringcast' | 'centrifugo' }) => {
  let backend: ProxyBackend;
  let server: CompatServer;
  const clients: Client[] = [];
  const userOf = (request: BackendRequest): string | null => /session=([a-z0-9-]+)/.exec(request.headers['cookie'] ?? '')?.[1] ?? null;

  beforeAll(async () => {
    backend = await ProxyBackend.start(kind);
    backend.on('connect', (request) => {
      const user = userOf(request);
      if (user === null || user.startsWith('blocked')) return { error: { code: 1403, message: 'blocked' } };
      if (user.startsWith('feed')) return { result: { user, channels: ['news:feed'] } };
      return { result: { user } };
    });
    backend.on('subscribe', (request) => (userOf(request) ? { result: {} } : { error: { code: 1403, message: 'no cookie' } }));
    backend.on('publish', ({ body }) => {
      // A binary payload arrives base64-encoded; the backend answers with new bytes, base64-encoded too.
      const bytes = Buffer.from(String(body['b64data']), 'base64');
      return { result: { b64data: Buffer.concat([Buffer.from('checked:'), bytes]).toString('base64') } };
    });
    const proxy = (event: Parameters<ProxyBackend['endpoint']>[0], more: Record<string, unknown> = {}): Record<string, unknown> => ({
      endpoint: backend.endpoint(event),
      timeout: '3s',
      http_headers: ['Cookie'],
      ...more,
    });
    server = await startCompatServer(target, {
      client: {
        proxy: { connect: { enabled: true, ...proxy('connect') } },
        allowed_origins: ['*'],
      },
      channel: {
        proxy: { subscribe: proxy('subscribe'), publish: proxy('publish', { binary_encoding: true }) },
        namespaces: [
          { name: 'sec', subscribe_proxy_enabled: true },
          { name: 'bin', subscribe_proxy_enabled: true, publish_proxy_enabled: true },
          { name: 'news' },
        ],
      },
      http_stream: { enabled: true },
      sse: { enabled: true },
      uni_http_stream: { enabled: true },
      uni_websocket: { enabled: true },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
    await backend?.stop();
  });

  for (const variant of emulationVariants.filter((v) => v.name !== 'http_stream protobuf')) {
    it(`${variant.name}: the cookie of the connection request reaches the connect and subscribe proxies`, async () => {
      const user = `${variant.transport.replace('_', '-')}-user`;
      const cookie = `session=${user}`;
      const options: Record<string, unknown> = { fetch: fetchWithCookie(cookie), minReconnectDelay: 100 };
      if (variant.transport === 'sse') {
        options['eventsource'] = class extends EventSource {
          constructor(url: string | URL, init?: Record<string, unknown>) {
            super(url, { ...init, fetch: fetchWithCookie(cookie) });
          }
        };
      }
      const client = variant.create(server.httpUrl, options);
      clients.push(client);
      const connected = once<{ client: string; transport: string }>(client, 'connected');
      client.connect();
      const ctx = await connected;
      const connect = backend.received('connect').find((r) => r.body['client'] === ctx.client);
      expect(connect!.body).toMatchObject({ transport: variant.transport, protocol: 'json' });
      expect(connect!.headers['cookie']).toBe(cookie);
      // A later command arrives by POST /emulation; the proxy still gets the connection request's cookie.
      const sub = client.newSubscription(`sec:${variant.transport}`);
      sub.subscribe();
      await sub.ready(5000);
      const subscribe = backend.received('subscribe').find((r) => r.body['channel'] === `sec:${variant.transport}`);
      expect(subscribe!.headers['cookie']).toBe(cookie);
      expect(subscribe!.body['user']).toBe(user);
    });
  }

  it('uni_http_stream: a cookie-authenticated consumer gets the channels the backend names', async () => {
    const stream = await RawStream.open(`${server.httpUrl}/connection/uni_http_stream`, {
      headers: { 'Content-Type': 'application/json', Cookie: 'session=feed-reader' },
      body: '{}',
    });
    const connect = await stream.message('connect push', (m) => m['connect'] !== undefined);
    expect((connect['connect'] as { subs?: Record<string, unknown> }).subs).toHaveProperty('news:feed');
    expect(backend.received('connect').at(-1)!.body).toMatchObject({ transport: 'uni_http_stream', protocol: 'json' });
    await server.api('publish', { channel: 'news:feed', data: { n: 1 } });
    await stream.message('publication', (m) => m['channel'] === 'news:feed' && m['pub'] !== undefined);
    stream.destroy();
  });

  it('uni_http_stream: a refused connect ends the stream with disconnect 3004', async () => {
    const stream = await RawStream.open(`${server.httpUrl}/connection/uni_http_stream`, {
      headers: { 'Content-Type': 'application/json', Cookie: 'session=blocked' },
      body: '{}',
    });
    const push = await stream.message('disconnect push', (m) => m['disconnect'] !== undefined);
    expect(push['disconnect']).toMatchObject({ code: 3004 });
    await stream.end();
  });

  it('uni_websocket: the upgrade request cookie reaches the connect proxy', async () => {
    const ws = new (webSocketWithHeaders({ Cookie: 'session=feed-ws' }))(server.wsUrl.replace('/websocket', '/uni_websocket'));
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send('{}');
    await waitFor('connect push', () => messages.find((m) => m['connect'] !== undefined));
    const request = backend.received('connect').find((r) => r.headers['cookie'] === 'session=feed-ws');
    expect(request!.body).toMatchObject({ transport: 'uni_websocket' });
    ws.close();
  });

  it('binary_encoding: a protobuf client publishes bytes, the backend rewrites them in base64', async () => {
    const make = (user: string): Client => {
      const client = new CentrifugeProtobuf(server.wsUrl, { websocket: webSocketWithHeaders({ Cookie: `session=${user}` }) }) as unknown as Client;
      clients.push(client);
      return client;
    };
    const reader = make('bin-reader');
    reader.connect();
    const sub = reader.newSubscription('bin:raw');
    const received: Uint8Array[] = [];
    sub.on('publication', (ctx) => received.push(ctx.data as Uint8Array));
    sub.subscribe();
    await sub.ready(5000);
    const writer = make('bin-writer');
    writer.connect();
    await writer.ready(5000);
    const payload = Uint8Array.from([0xff, 0x00, 0xfe]); // not JSON, not even UTF-8
    await writer.publish('bin:raw', payload);
    await waitFor('rewritten bytes', () => received.length === 1);
    expect(Buffer.from(received[0]!)).toEqual(Buffer.concat([Buffer.from('checked:'), Buffer.from(payload)]));
    const request = backend.received('publish').at(-1)!;
    expect(request.body).toMatchObject({ encoding: 'binary', protocol: 'protobuf', b64data: Buffer.from(payload).toString('base64') });
    expect(request.body['data']).toBeUndefined();
  });
});

// Ringcast-only: client.connect_code_to_unidirectional_disconnect maps the backend's own connect error code.
describe('connect_code_to_unidirectional_disconnect', () => {
  it('turns a connect proxy error into the configured disconnect for a unidirectional client', async () => {
    const backend = await ProxyBackend.start('http');
    backend.on('connect', () => ({ error: { code: 1403, message: 'blocked' } }));
    const server = await startCompatServer('ringcast', {
      client: {
        proxy: { connect: { enabled: true, endpoint: backend.endpoint('connect') } },
        connect_code_to_unidirectional_disconnect: { enabled: true, transforms: [{ code: 1403, to: { code: 4403, reason: 'forbidden' } }] },
      },
      uni_websocket: { enabled: true },
    });
    try {
      const ws = new WebSocket(server.wsUrl.replace('/websocket', '/uni_websocket'));
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      ws.send('{}');
      expect(await closed).toEqual({ code: 4403, reason: 'forbidden' });
    } finally {
      await server.stop();
      await backend.stop();
    }
  });
});

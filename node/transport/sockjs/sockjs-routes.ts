import { createHash, randomInt } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { corsAllowed, readCors, type CorsRequest } from '../../http/cors.js';
import { StreamResponse } from '../../http/stream-response.js';
import type { SessionContext } from '../../session/session.js';
import { parseClientMessages } from './sockjs-frames.js';
import { HttpReceiver, receiverFiller, receiverHeaders, type HttpReceiverKind } from './sockjs-http-receivers.js';
import { SockjsRegistry, type SockjsEndpointOptions } from './sockjs-registry.js';
import { mountSockjsWebSocket } from './sockjs-websocket.js';

// The SockJS protocol (0.3) under `sockjs.handler_prefix`: the greeting, /info, the iframe page, WebSocket,
// xhr-streaming, xhr-polling and eventsource receivers, and xhr_send for the HTTP transports' client messages.
// Not served: htmlfile and jsonp (sockjs-client falls back to the transports above).

const noCache = 'no-store, no-cache, no-transform, must-revalidate, max-age=0';
const yearSeconds = 31_536_000;

/** SockJS's CORS: the caller's origin with credentials (sockjs-client sends cookies), `*` without an origin. */
function sockjsCors(cors: CorsRequest): Record<string, string> {
  const origin = cors.origin === '' || cors.origin === 'null' ? '*' : cors.origin;
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
}

function write(res: HttpResponse, status: string, headers: Record<string, string>, body = ''): void {
  res.cork(() => {
    res.writeStatus(status);
    for (const [name, value] of Object.entries(headers)) res.writeHeader(name, value);
    res.end(body);
  });
}

/** Server and session ids: non-empty path segments without dots. */
function validIds(req: HttpRequest): string | null {
  const server = req.getParameter(0) ?? '';
  const session = req.getParameter(1) ?? '';
  if (server === '' || session === '' || server.includes('.') || session.includes('.')) return null;
  return session;
}

function iframePage(clientUrl: string): string {
  const src = clientUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [
    '<!DOCTYPE html>',
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />',
    `<script src="${src}"></script>`,
    '<script>SockJS.bootstrap_iframe();</script>',
    '</head><body><p>SockJS iframe transport.</p></body></html>',
  ].join('\n');
}

function preflight(app: TemplatedApp, pattern: string, methods: string): void {
  app.options(pattern, (res, req) => {
    const cors = readCors(req);
    const requested = req.getHeader('access-control-request-headers');
    write(res, '204 No Content', {
      ...sockjsCors(cors),
      'Access-Control-Allow-Methods': methods,
      ...(requested !== '' ? { 'Access-Control-Allow-Headers': requested } : {}),
      'Access-Control-Max-Age': String(yearSeconds),
      'Cache-Control': `public, max-age=${yearSeconds}`,
      Expires: new Date(Date.now() + yearSeconds * 1000).toUTCString(),
    });
  });
}

/** Mounts SockJS at `options.path` carrying the JSON client protocol. */
export function mountSockjs(app: TemplatedApp, ctx: SessionContext, options: SockjsEndpointOptions): SockjsRegistry {
  const registry = new SockjsRegistry(ctx, options);
  const base = options.path;
  const greeting = (res: HttpResponse): void => write(res, '200 OK', { 'Content-Type': 'text/plain; charset=UTF-8' }, 'Welcome to SockJS!\n');
  app.get(base, greeting);
  app.get(`${base}/`, greeting);

  app.get(`${base}/info`, (res, req) => {
    const cors = readCors(req);
    const info = { websocket: true, origins: ['*:*'], cookie_needed: false, entropy: randomInt(0, 2 ** 32) };
    write(res, '200 OK', { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': noCache, ...sockjsCors(cors) }, JSON.stringify(info));
  });
  preflight(app, `${base}/info`, 'OPTIONS, GET');

  const page = iframePage(options.clientUrl);
  const etag = `"${createHash('sha1').update(page).digest('hex')}"`;
  app.get(`${base}/:iframe`, (res, req) => {
    if (!/^iframe[0-9-.a-z_]*\.html$/.test(req.getParameter(0) ?? '')) {
      write(res, '404 Not Found', { 'Content-Type': 'text/plain; charset=UTF-8' }, 'Not Found');
      return;
    }
    if (req.getHeader('if-none-match') === etag) {
      write(res, '304 Not Modified', { ETag: etag });
      return;
    }
    write(res, '200 OK', { 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': `public, max-age=${yearSeconds}`, ETag: etag }, page);
  });

  mountSockjsWebSocket(app, ctx, options, registry);

  const receiver = (kind: HttpReceiverKind) => (res: HttpResponse, req: HttpRequest) => {
    const cors = readCors(req);
    const id = validIds(req);
    const headers = receiverHeaders(kind, sockjsCors(cors));
    const stream = new StreamResponse(res, { status: '200 OK', headers }, receiverFiller(kind));
    if (id === null) return stream.reject('404 Not Found', 'Not Found');
    if (!corsAllowed(cors, ctx.client.allowedOrigins)) {
      ctx.logger.info({ origin: cors.origin, transport: 'sockjs' }, 'origin not allowed');
      return stream.reject('403 Forbidden', 'origin not allowed');
    }
    let sockjs = registry.get(id);
    if (!sockjs) {
      if (!options.accepting()) return stream.reject('503 Service Unavailable', 'not accepting connections', sockjsCors(cors));
      sockjs = registry.open(id, true);
    }
    const attached = new HttpReceiver(stream, kind);
    const session = sockjs;
    stream.onClientGone = () => session.receiverGone(attached);
    session.attach(attached);
  };
  app.post(`${base}/:server/:session/xhr_streaming`, receiver('xhr_streaming'));
  app.post(`${base}/:server/:session/xhr`, receiver('xhr'));
  app.get(`${base}/:server/:session/eventsource`, receiver('eventsource'));
  preflight(app, `${base}/:server/:session/xhr_streaming`, 'OPTIONS, POST');
  preflight(app, `${base}/:server/:session/xhr`, 'OPTIONS, POST');
  preflight(app, `${base}/:server/:session/xhr_send`, 'OPTIONS, POST');

  app.post(`${base}/:server/:session/xhr_send`, (res, req) => {
    const cors = readCors(req);
    const id = validIds(req);
    const headers = { 'Content-Type': 'text/plain; charset=UTF-8', ...sockjsCors(cors) };
    const stream = new StreamResponse(res, { status: '204 No Content', headers }, '');
    const sockjs = id === null ? undefined : registry.get(id);
    if (!sockjs || sockjs.closed) return stream.reject('404 Not Found', 'Not Found', sockjsCors(cors));
    stream.readBody(registry.frameLimit, (read) => {
      if (!read.ok) {
        stream.reject('413 Payload Too Large', 'Payload Too Large', sockjsCors(cors));
        registry.refuseOversized(sockjs);
        return;
      }
      const text = read.body.toString('utf8');
      if (text === '') return stream.reject('500 Internal Server Error', 'Payload expected.', sockjsCors(cors));
      const messages = parseClientMessages(text);
      if (!messages) return stream.reject('500 Internal Server Error', 'Broken JSON encoding.', sockjsCors(cors));
      if (registry.oversized(messages)) {
        stream.reject('413 Payload Too Large', 'Payload Too Large', sockjsCors(cors));
        registry.refuseOversized(sockjs);
        return;
      }
      stream.end();
      registry.deliver(sockjs, messages);
    });
  });
  app.any(`${base}/*`, (res) => write(res, '404 Not Found', { 'Content-Type': 'text/plain; charset=UTF-8' }, 'Not Found'));
  return registry;
}

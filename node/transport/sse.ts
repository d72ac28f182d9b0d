import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../../src/protocol/codec.js';
import { corsAllowed, corsHeaders, mountPreflight, readCors } from '../http/cors.js';
import { connectionHeaders } from './connection-headers.js';
import type { SessionContext } from '../session/session.js';
import { sseFormat } from './stream-format.js';
import { newStream, startStreamSession, type StreamEndpointOptions, type StreamKind } from './stream-session.js';

/** The query parameter carrying the connect command of a `GET` EventSource request. */
export const connectParam = 'cf_connect';

/**
 * Shared by `/connection/sse` and `/connection/uni_sse`: `GET` with the connect request in the `cf_connect`
 * query parameter (EventSource can only GET) or `POST` with it as the body. `firstFrame` turns the request
 * (null: none given) into the session's first frame, or into the reason it is refused (400).
 */
export function mountSseEndpoint(
  app: TemplatedApp,
  ctx: SessionContext,
  options: StreamEndpointOptions,
  kind: StreamKind,
  firstFrame: (request: Uint8Array | null) => Uint8Array | string,
): void {
  mountPreflight(app, options.path, 'GET, POST, OPTIONS', ctx.client.allowedOrigins);
  const open = (res: HttpResponse, req: HttpRequest, method: 'get' | 'post'): void => {
    const cors = readCors(req);
    const headers = connectionHeaders(req, ctx.proxies.connectionHeaderNames);
    const query = method === 'get' ? req.getQuery() ?? '' : '';
    const stream = newStream(res, kind.format, cors);
    if (!options.accepting()) return stream.reject('503 Service Unavailable', 'not accepting connections', corsHeaders(cors));
    if (!corsAllowed(cors, ctx.client.allowedOrigins)) {
      ctx.logger.info({ origin: cors.origin, transport: kind.name }, 'origin not allowed');
      return stream.reject('403 Forbidden', 'origin not allowed');
    }
    const begin = (request: Uint8Array | null): void => {
      const frame = firstFrame(request);
      if (typeof frame === 'string') return stream.reject('400 Bad Request', frame, corsHeaders(cors));
      // A blank line first: the headers go out now and the EventSource opens before the connect reply — unless
      // a refused connect must still be answered as an HTTP response (connect_code_to_http_response).
      if (!kind.connectCodeToHttp) stream.start('\r\n');
      startStreamSession(ctx, options, stream, kind, frame, headers);
    };
    if (method === 'get') {
      const param = new URLSearchParams(query).get(connectParam);
      begin(param === null ? null : Buffer.from(param, 'utf8'));
      return;
    }
    stream.readBody(options.bodyLimit, (read) => {
      if (!read.ok) return stream.reject('413 Payload Too Large', 'connect request too large', corsHeaders(cors));
      begin(read.body);
    });
  };
  app.get(options.path, (res, req) => open(res, req, 'get'));
  app.post(options.path, (res, req) => open(res, req, 'post'));
  app.any(options.path, (res) => {
    res.cork(() => res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'GET, POST, OPTIONS').end('use GET or POST'));
  });
}

/** `/connection/sse`: bidirectional SSE (JSON only); commands after connect come through `POST /emulation`. */
export function mountSse(app: TemplatedApp, ctx: SessionContext, options: StreamEndpointOptions & { codec: Codec }): void {
  const kind: StreamKind = {
    name: 'sse',
    protocol: 'json',
    codec: options.codec,
    format: sseFormat,
    emulation: true,
    unidirectional: false,
  };
  mountSseEndpoint(app, ctx, options, kind, (request) =>
    request === null || request.byteLength === 0 ? `connect command required in the ${connectParam} query parameter or the body` : request,
  );
}

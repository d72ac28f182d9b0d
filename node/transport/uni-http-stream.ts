import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { uniJsonCodec } from '../../src/protocol/uni-json-codec.js';
import { corsAllowed, corsHeaders, mountPreflight, readCors } from '../http/cors.js';
import { connectionHeaders } from './connection-headers.js';
import type { SessionContext } from '../session/session.js';
import { ndjsonFormat } from './stream-format.js';
import { newStream, startStreamSession, type StreamEndpointOptions, type StreamKind } from './stream-session.js';
import type { ConnectCodeToHttp } from './streaming-transport.js';
import { uniFirstFrame } from './uni-connect-frame.js';

const baseKind: StreamKind = {
  name: 'uni_http_stream',
  protocol: 'json',
  codec: uniJsonCodec,
  format: ndjsonFormat('{}\n'),
  emulation: false,
  unidirectional: true,
};

/**
 * `POST /connection/uni_http_stream`: the body is a bare ConnectRequest (JSON); the response streams bare
 * Push objects, one per line (`{"connect":…}` first, `{}` for pings).
 */
export function mountUniHttpStream(
  app: TemplatedApp,
  ctx: SessionContext,
  options: StreamEndpointOptions & { connectCodeToHttp: ConnectCodeToHttp | null },
): void {
  const kind: StreamKind = { ...baseKind, connectCodeToHttp: options.connectCodeToHttp };
  mountPreflight(app, options.path, 'POST, OPTIONS', ctx.client.allowedOrigins);
  app.post(options.path, (res: HttpResponse, req: HttpRequest) => {
    const cors = readCors(req);
    const headers = connectionHeaders(req, ctx.proxies.connectionHeaderNames);
    const stream = newStream(res, kind.format, cors);
    if (!options.accepting()) return stream.reject('503 Service Unavailable', 'not accepting connections', corsHeaders(cors));
    if (!corsAllowed(cors, ctx.client.allowedOrigins)) {
      ctx.logger.info({ origin: cors.origin, transport: kind.name }, 'origin not allowed');
      return stream.reject('403 Forbidden', 'origin not allowed');
    }
    stream.readBody(options.bodyLimit, (read) => {
      if (!read.ok) return stream.reject('413 Payload Too Large', 'connect request too large', corsHeaders(cors));
      const frame = uniFirstFrame(read.body);
      if (typeof frame === 'string') return stream.reject('400 Bad Request', frame, corsHeaders(cors));
      startStreamSession(ctx, options, stream, kind, frame, headers);
    });
  });
  app.any(options.path, (res) => {
    res.cork(() => res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'POST, OPTIONS').end('use POST'));
  });
}

import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../../src/protocol/codec.js';
import { corsAllowed, corsHeaders, mountPreflight, readCors } from '../http/cors.js';
import { connectionHeaders } from './connection-headers.js';
import type { SessionContext } from '../session/session.js';
import { lengthDelimitedFormat, ndjsonFormat } from './stream-format.js';
import { newStream, startStreamSession, type StreamEndpointOptions } from './stream-session.js';

const jsonLines = ndjsonFormat('\n');

/**
 * `POST /connection/http_stream`: the body holds the connect command; the response streams replies and
 * pushes. `Content-Type: application/octet-stream` selects protobuf (uvarint-length-prefixed frames),
 * anything else JSON (one message per line). Further commands arrive through `POST /emulation`.
 */
export function mountHttpStream(
  app: TemplatedApp,
  ctx: SessionContext,
  options: StreamEndpointOptions & { codecs: { json: Codec; protobuf: Codec } },
): void {
  mountPreflight(app, options.path, 'POST, OPTIONS', ctx.client.allowedOrigins);
  app.post(options.path, (res: HttpResponse, req: HttpRequest) => {
    const cors = readCors(req);
    const headers = connectionHeaders(req, ctx.proxies.connectionHeaderNames);
    const protobuf = req.getHeader('content-type').startsWith('application/octet-stream');
    const format = protobuf ? lengthDelimitedFormat : jsonLines;
    const stream = newStream(res, format, cors);
    if (!options.accepting()) return stream.reject('503 Service Unavailable', 'not accepting connections', corsHeaders(cors));
    if (!corsAllowed(cors, ctx.client.allowedOrigins)) {
      ctx.logger.info({ origin: cors.origin, transport: 'http_stream' }, 'origin not allowed');
      return stream.reject('403 Forbidden', 'origin not allowed');
    }
    stream.readBody(options.bodyLimit, (read) => {
      if (!read.ok) return stream.reject('413 Payload Too Large', 'connect request too large', corsHeaders(cors));
      startStreamSession(
        ctx,
        options,
        stream,
        {
          name: 'http_stream',
          protocol: protobuf ? 'protobuf' : 'json',
          codec: protobuf ? options.codecs.protobuf : options.codecs.json,
          format,
          emulation: true,
          unidirectional: false,
        },
        read.body,
        headers,
      );
    });
  });
  app.any(options.path, (res) => {
    res.cork(() => res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'POST, OPTIONS').end('use POST'));
  });
}

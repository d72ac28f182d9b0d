import type { TransportName } from '../../src/observability/metrics.js';
import type { Codec, ProtocolName } from '../../src/protocol/codec.js';
import { DisconnectCode } from '../../src/protocol/codes.js';
import type { HttpResponse } from 'uWebSockets.js';
import { corsHeaders, type CorsRequest } from '../http/cors.js';
import { StreamResponse } from '../http/stream-response.js';
import type { SessionContext } from '../session/session.js';
import type { Session } from '../session/session.js';
import { openSession } from '../session/open-session.js';
import type { EmulationSessions } from './emulation-sessions.js';
import type { StreamFormat } from './stream-format.js';
import { StreamingTransport, type ConnectCodeToHttp } from './streaming-transport.js';

/** What every HTTP-streaming/SSE endpoint shares with the rest of the node. */
export interface StreamEndpointOptions {
  path: string;
  /** Limit of the request body carrying the connect request (`<transport>.max_request_body_size`). */
  bodyLimit: number;
  /** False while the node drains: new connections get 503. */
  accepting(): boolean;
  /** Every open session, so shutdown reaches them all. */
  live: Set<Session>;
  /** Emulation sessions by id (bidirectional endpoints register theirs here). */
  sessions: EmulationSessions;
}

export interface StreamKind {
  name: TransportName;
  protocol: ProtocolName;
  codec: Codec;
  format: StreamFormat;
  emulation: boolean;
  unidirectional: boolean;
  /** Unidirectional HTTP transports: a refused connect becomes an HTTP response (null: off). */
  connectCodeToHttp?: ConnectCodeToHttp | null;
}

/** Headers of a streamed response: never cached or buffered by proxies; CORS for allowed cross-origin pages. */
export function streamHeaders(contentType: string, cors: CorsRequest): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0',
    Pragma: 'no-cache',
    Expires: '0',
    'X-Accel-Buffering': 'no',
    ...corsHeaders(cors),
  };
}

export function newStream(res: HttpResponse, format: StreamFormat, cors: CorsRequest): StreamResponse {
  return new StreamResponse(res, { status: '200 OK', headers: streamHeaders(format.contentType, cors) }, format.filler);
}

/**
 * Opens a session on a streamed response and hands it the client's first frame (the connect command, or
 * the bare ConnectRequest of a unidirectional client). Must run while `firstFrame` is not reused. `headers`: the
 * request's headers that proxies pass on (connection-headers.ts).
 */
export function startStreamSession(
  ctx: SessionContext,
  options: StreamEndpointOptions,
  stream: StreamResponse,
  kind: StreamKind,
  firstFrame: Uint8Array,
  headers: Record<string, string> | undefined,
): Session {
  const transport = new StreamingTransport(stream, kind);
  const session = openSession(ctx, transport, kind.codec, headers);
  options.live.add(session);
  if (kind.emulation) options.sessions.add(transport.sessionId, session);
  const release = (): void => {
    options.live.delete(session);
    if (kind.emulation) options.sessions.remove(transport.sessionId, session);
  };
  transport.onClose = release;
  stream.onClientGone = () => {
    release();
    session.handleTransportClosed(DisconnectCode.connectionClosed);
  };
  session.handleFrame(firstFrame);
  return session;
}

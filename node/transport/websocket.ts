import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { Codec, EncodedFrame, ProtocolName } from '../../src/protocol/codec.js';
import type { Disconnect } from '../../src/protocol/codes.js';
import type { SessionContext } from '../session/session.js';
import type { Session } from '../session/session.js';
import { openSession } from '../session/open-session.js';
import { CorkedWebSocket } from './corked-websocket.js';
import { connectionHeaders } from './connection-headers.js';
import { joinFrames } from './join-frames.js';
import { originAllowed } from './origin-check.js';
import type { Transport } from './transport.js';

interface SocketData {
  protocol: ProtocolName;
  /** Upgrade request headers that proxies pass on. */
  headers: Record<string, string> | undefined;
  session?: Session;
}

/** A uWS WebSocket as a session's transport (JSON text or protobuf binary frames). */
class WebSocketTransport extends CorkedWebSocket<SocketData> implements Transport {
  readonly name = 'websocket' as const;
  protected readonly binary: boolean;

  constructor(
    ws: WebSocket<SocketData>,
    readonly protocol: ProtocolName,
    private readonly maxMessagesInFrame: number,
  ) {
    super(ws);
    this.binary = protocol === 'protobuf';
  }

  protected messages(frames: readonly EncodedFrame[]): readonly EncodedFrame[] {
    return joinFrames(frames, this.binary, this.maxMessagesInFrame);
  }

  close(d: Disconnect): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.end(d.code, d.reason);
  }
}

export interface WebSocketOptions {
  path: string;
  messageSizeLimit: number;
  codecs: { json: Codec; protobuf: Codec };
  /** False while the node drains: new upgrades get 503. */
  accepting(): boolean;
  /** Every open session, connected or not, so shutdown can reach them all. */
  live: Set<Session>;
}

/** Serves the bidirectional WebSocket transport (JSON or protobuf by subprotocol). */
export function mountWebSocket(app: TemplatedApp, ctx: SessionContext, options: WebSocketOptions): void {
  app.ws<SocketData>(options.path, {
    maxPayloadLength: options.messageSizeLimit,
    // Liveness is the protocol's own ping/pong on the node's timer wheel; uWS timeouts stay off.
    idleTimeout: 0,
    sendPingsAutomatically: false,
    // Our queue limit closes slow clients with 3008 before uWS would drop anything.
    maxBackpressure: Math.max(ctx.client.queueMaxSize * 4, 16 * 1024 * 1024),
    upgrade: (res, req, context) => {
      const key = req.getHeader('sec-websocket-key');
      const requested = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      const origin = req.getHeader('origin');
      const host = req.getHeader('host');
      const query = req.getQuery() ?? '';
      if (!options.accepting()) {
        res.writeStatus('503 Service Unavailable').end('not accepting connections');
        return;
      }
      if (!originAllowed(origin, host, ctx.client.allowedOrigins)) {
        ctx.logger.info({ origin }, 'websocket origin not allowed');
        res.writeStatus('403 Forbidden').end('origin not allowed');
        return;
      }
      const offered = requested.split(',').map((p) => p.trim());
      let protocol: ProtocolName = 'json';
      let chosen = '';
      if (offered.includes('centrifuge-protobuf')) {
        protocol = 'protobuf';
        chosen = 'centrifuge-protobuf';
      } else if (offered.includes('centrifuge-json')) {
        chosen = 'centrifuge-json';
      } else if (new URLSearchParams(query).get('format') === 'protobuf') {
        protocol = 'protobuf';
      }
      const headers = connectionHeaders(req, ctx.proxies.connectionHeaderNames);
      res.upgrade<SocketData>({ protocol, headers }, key, chosen, extensions, context);
    },
    open: (ws) => {
      const data = ws.getUserData();
      const codec = data.protocol === 'protobuf' ? options.codecs.protobuf : options.codecs.json;
      data.session = openSession(ctx, new WebSocketTransport(ws, data.protocol, ctx.client.maxMessagesInFrame), codec, data.headers);
      data.headers = undefined;
      options.live.add(data.session);
    },
    message: (ws, message, isBinary) => {
      const session = ws.getUserData().session;
      if (!session) return;
      // uWS reuses the message buffer after this callback: protobuf decoding may keep slices, so copy.
      const bytes = isBinary || session.codec.binary ? new Uint8Array(message.slice(0)) : new Uint8Array(message);
      session.handleFrame(bytes);
    },
    close: (ws, code) => {
      const data = ws.getUserData();
      const session = data.session;
      if (!session) return;
      options.live.delete(session);
      (session.transport as WebSocketTransport).closed = true;
      session.handleTransportClosed(code);
    },
  });
}

import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';
import { DisconnectCode, type Disconnect } from '../../src/protocol/codes.js';
import { uniJsonCodec } from '../../src/protocol/uni-json-codec.js';
import type { SessionContext } from '../session/session.js';
import type { Session } from '../session/session.js';
import { openSession } from '../session/open-session.js';
import { CorkedWebSocket } from './corked-websocket.js';
import { connectionHeaders } from './connection-headers.js';
import { originAllowed } from './origin-check.js';
import type { Transport } from './transport.js';
import { randomUUID } from 'node:crypto';

interface SocketData {
  session?: Session;
  /** Upgrade request headers that proxies pass on. */
  headers: Record<string, string> | undefined;
  /** The first message (the ConnectRequest) was handled; later messages are ignored. */
  connectSeen: boolean;
}

/**
 * A uWS WebSocket carrying only pushes (bare Push objects in text frames). A disconnect is sent as a
 * Disconnect push first, then as the close frame's code and reason.
 */
class UniWebSocketTransport extends CorkedWebSocket<SocketData> implements Transport {
  readonly name = 'uni_websocket' as const;
  readonly protocol = 'json' as const;
  readonly sessionId = randomUUID();
  readonly unidirectional = true;
  protected readonly binary = false;

  constructor(
    ws: WebSocket<SocketData>,
    private readonly joinMessages: boolean,
  ) {
    super(ws);
  }

  protected messages(frames: readonly EncodedFrame[]): readonly EncodedFrame[] {
    return this.joinMessages && frames.length > 1 ? [frames.join('\n')] : frames;
  }

  close(d: Disconnect): void {
    if (this.closed) return;
    this.closed = true;
    if (d.code !== DisconnectCode.slow && d.code !== DisconnectCode.connectionClosed) {
      const push = uniJsonCodec.encodeReply({ push: { disconnect: { code: d.code, reason: d.reason } } });
      this.ws.cork(() => {
        this.ws.send(push, false);
        this.ws.end(d.code, d.reason);
      });
      return;
    }
    this.ws.end(d.code, d.reason);
  }
}

export interface UniWebSocketOptions {
  path: string;
  messageSizeLimit: number;
  /** `uni_websocket.join_push_messages`: pushes written together share one frame, `\n`-joined. */
  joinPushMessages: boolean;
  accepting(): boolean;
  live: Set<Session>;
}

/** `/connection/uni_websocket`: the first message is a bare ConnectRequest (JSON); then only pushes. */
export function mountUniWebSocket(app: TemplatedApp, ctx: SessionContext, options: UniWebSocketOptions): void {
  app.ws<SocketData>(options.path, {
    maxPayloadLength: options.messageSizeLimit,
    idleTimeout: 0,
    sendPingsAutomatically: false,
    maxBackpressure: Math.max(ctx.client.queueMaxSize * 4, 16 * 1024 * 1024),
    upgrade: (res, req, context) => {
      const key = req.getHeader('sec-websocket-key');
      const extensions = req.getHeader('sec-websocket-extensions');
      const origin = req.getHeader('origin');
      const host = req.getHeader('host');
      if (!options.accepting()) {
        res.writeStatus('503 Service Unavailable').end('not accepting connections');
        return;
      }
      if (!originAllowed(origin, host, ctx.client.allowedOrigins)) {
        ctx.logger.info({ origin, transport: 'uni_websocket' }, 'origin not allowed');
        res.writeStatus('403 Forbidden').end('origin not allowed');
        return;
      }
      const headers = connectionHeaders(req, ctx.proxies.connectionHeaderNames);
      res.upgrade<SocketData>({ connectSeen: false, headers }, key, '', extensions, context);
    },
    open: (ws) => {
      const data = ws.getUserData();
      data.session = openSession(ctx, new UniWebSocketTransport(ws, options.joinPushMessages), uniJsonCodec, data.headers);
      data.headers = undefined;
      options.live.add(data.session);
    },
    message: (ws, message) => {
      const data = ws.getUserData();
      if (!data.session || data.connectSeen) return;
      data.connectSeen = true;
      data.session.handleFrame(new Uint8Array(message.slice(0)));
    },
    close: (ws, code) => {
      const data = ws.getUserData();
      const session = data.session;
      if (!session) return;
      options.live.delete(session);
      (session.transport as UniWebSocketTransport).closed = true;
      session.handleTransportClosed(code);
    },
  });
}

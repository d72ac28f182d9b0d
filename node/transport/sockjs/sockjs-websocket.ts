import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { SessionContext } from '../../session/session.js';
import { originAllowed } from '../origin-check.js';
import { parseClientMessages } from './sockjs-frames.js';
import type { SockjsEndpointOptions, SockjsRegistry } from './sockjs-registry.js';
import type { SockjsReceiver, SockjsSession } from './sockjs-session.js';

interface SocketData {
  sockjs?: SockjsSession;
  receiver?: WebSocketReceiver;
}

/** A SockJS WebSocket: frames as text messages; the session's end closes the socket. */
class WebSocketReceiver implements SockjsReceiver {
  readonly streaming = true;
  open = true;

  constructor(private readonly ws: WebSocket<SocketData>) {}

  send(frame: string): number {
    if (this.open) this.ws.send(frame, false);
    return frame.length;
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    this.ws.end(1000, 'Normal closure');
  }

  bufferedAmount(): number {
    return this.open ? this.ws.getBufferedAmount() : 0;
  }
}

/**
 * `<prefix>/<server>/<session>/websocket`: a SockJS session on one WebSocket. A message larger than
 * `sockjs.max_message_size` closes the session with 1009; one that is not SockJS framing closes it as a bad request.
 */
export function mountSockjsWebSocket(app: TemplatedApp, ctx: SessionContext, options: SockjsEndpointOptions, registry: SockjsRegistry): void {
  app.ws<SocketData>(`${options.path}/:server/:session/websocket`, {
    // Past this uWS drops the connection (1006); up to it a message over the limit gets SockJS's close frame 1009.
    maxPayloadLength: registry.frameLimit,
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
        ctx.logger.info({ origin, transport: 'sockjs' }, 'origin not allowed');
        res.writeStatus('403 Forbidden').end('origin not allowed');
        return;
      }
      res.upgrade<SocketData>({}, key, '', extensions, context);
    },
    open: (ws) => {
      const data = ws.getUserData();
      data.receiver = new WebSocketReceiver(ws);
      data.sockjs = registry.open('', false);
      data.sockjs.attach(data.receiver);
    },
    message: (ws, message) => {
      const { sockjs } = ws.getUserData();
      if (!sockjs || sockjs.closed) return;
      const text = Buffer.from(message).toString('utf8');
      if (text === '') return;
      const messages = parseClientMessages(text);
      if (!messages) {
        registry.client(sockjs)?.badRequest('sockjs: a message that is not a JSON string or array of strings');
        return;
      }
      if (registry.oversized(messages)) {
        registry.refuseOversized(sockjs);
        return;
      }
      registry.deliver(sockjs, messages);
    },
    close: (ws) => {
      const { sockjs, receiver } = ws.getUserData();
      if (!sockjs || !receiver) return;
      receiver.open = false;
      sockjs.receiverGone(receiver);
    },
  });
}

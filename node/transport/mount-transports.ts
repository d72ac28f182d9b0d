import type { TemplatedApp } from 'uWebSockets.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import type { Codec } from '../../src/protocol/codec.js';
import { mountEmulation } from '../http/emulation-routes.js';
import type { Session, SessionContext } from '../session/session.js';
import { EmulationSessions } from './emulation-sessions.js';
import { mountHttpStream } from './http-stream.js';
import { LocalSessionLocator, type SessionLocator } from './session-locator.js';
import { mountSockjs } from './sockjs/sockjs-routes.js';
import { mountSse } from './sse.js';
import type { ConnectCodeToHttp } from './streaming-transport.js';
import { mountUniHttpStream } from './uni-http-stream.js';
import { mountUniSse } from './uni-sse.js';
import { mountUniWebSocket } from './uni-websocket.js';

/** The sockjs-client build the SockJS iframe page loads unless `sockjs.url` names another. */
const defaultSockjsClientUrl = 'https://cdn.jsdelivr.net/npm/sockjs-client@1/dist/sockjs.min.js';

export interface HttpTransportsOptions {
  codecs: { json: Codec; protobuf: Codec };
  accepting(): boolean;
  live: Set<Session>;
  /** Finds emulation sessions; defaults to this node's own (a cluster engine passes one that forwards). */
  locator?: (sessions: EmulationSessions) => SessionLocator;
}

/**
 * Mounts the transports besides the bidirectional WebSocket, each only when its config section enables it:
 * `http_stream` and `sse` (bidirectional through `POST /emulation`, mounted whenever one of them is on) and
 * the unidirectional `uni_websocket`, `uni_sse` and `uni_http_stream`, and SockJS.
 */
export function mountHttpTransports(app: TemplatedApp, ctx: SessionContext, config: RingcastConfig, options: HttpTransportsOptions): void {
  const sessions = new EmulationSessions();
  const shared = { accepting: options.accepting, live: options.live, sessions };
  if (config.http_stream.enabled) {
    mountHttpStream(app, ctx, {
      ...shared,
      path: config.http_stream.handler_prefix,
      bodyLimit: config.http_stream.max_request_body_size,
      codecs: options.codecs,
    });
  }
  if (config.sse.enabled) {
    mountSse(app, ctx, { ...shared, path: config.sse.handler_prefix, bodyLimit: config.sse.max_request_body_size, codec: options.codecs.json });
  }
  if (config.http_stream.enabled || config.sse.enabled) {
    mountEmulation(app, ctx, {
      path: config.emulation.handler_prefix,
      bodyLimit: config.emulation.max_request_body_size,
      locator: (options.locator ?? ((s) => new LocalSessionLocator(ctx.nodeId, s)))(sessions),
    });
  }
  if (config.uni_websocket.enabled) {
    mountUniWebSocket(app, ctx, {
      path: config.uni_websocket.handler_prefix,
      messageSizeLimit: config.uni_websocket.message_size_limit,
      joinPushMessages: config.uni_websocket.join_push_messages,
      accepting: options.accepting,
      live: options.live,
    });
  }
  if (config.uni_sse.enabled) {
    mountUniSse(app, ctx, {
      ...shared,
      path: config.uni_sse.handler_prefix,
      bodyLimit: config.uni_sse.max_request_body_size,
      connectCodeToHttp: connectCodeToHttp(config.uni_sse.connect_code_to_http_response),
    });
  }
  if (config.sockjs.enabled) {
    mountSockjs(app, ctx, {
      path: config.sockjs.handler_prefix,
      clientUrl: config.sockjs.url || defaultSockjsClientUrl,
      heartbeatDelayMs: config.sockjs.heartbeat_delay,
      maxMessageSize: config.sockjs.max_message_size,
      accepting: options.accepting,
      live: options.live,
    });
  }
  if (config.uni_http_stream.enabled) {
    mountUniHttpStream(app, ctx, {
      ...shared,
      path: config.uni_http_stream.handler_prefix,
      bodyLimit: config.uni_http_stream.max_request_body_size,
      connectCodeToHttp: connectCodeToHttp(config.uni_http_stream.connect_code_to_http_response),
    });
  }
}

function connectCodeToHttp(section: RingcastConfig['uni_sse']['connect_code_to_http_response']): ConnectCodeToHttp | null {
  return section.enabled ? { transforms: section.transforms } : null;
}

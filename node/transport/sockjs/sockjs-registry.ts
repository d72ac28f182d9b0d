import { jsonCodec } from '../../../src/protocol/json-codec.js';
import { DisconnectCode } from '../../../src/protocol/codes.js';
import type { Session, SessionContext } from '../../session/session.js';
import { openSession } from '../../session/open-session.js';
import { SockjsSession, type SockjsSessionOptions } from './sockjs-session.js';
import { SockjsTransport } from './sockjs-transport.js';

export interface SockjsEndpointOptions {
  /** e.g. `/connection/sockjs`. */
  path: string;
  /** The sockjs-client script the iframe page loads. */
  clientUrl: string;
  heartbeatDelayMs: number;
  /** bytes: a larger client message closes the session (1009, as a WebSocket would). */
  maxMessageSize: number;
  accepting(): boolean;
  live: Set<Session>;
}

/** SockJS's own defaults: 5 s for a client to come back between polls, 128 KiB per streaming response. */
const disconnectDelayMs = 5000;
const responseLimit = 128 * 1024;

/**
 * The SockJS sessions of this node's HTTP transports, by session id, each paired with a client session speaking the
 * JSON protocol. Sessions live on the node that created them: another node does not know the id (sticky routing).
 */
export class SockjsRegistry {
  private readonly sessions = new Map<string, SockjsSession>();
  private readonly clients = new Map<SockjsSession, Session>();

  constructor(
    private readonly ctx: SessionContext,
    private readonly options: SockjsEndpointOptions,
  ) {}

  get(id: string): SockjsSession | undefined {
    return this.sessions.get(id);
  }

  /** The client session behind a SockJS session (undefined once it is gone). */
  client(sockjs: SockjsSession): Session | undefined {
    return this.clients.get(sockjs);
  }

  /** A new SockJS session with its client session; `reattachable` for HTTP transports (kept in the registry). */
  open(id: string, reattachable: boolean): SockjsSession {
    const sessionOptions: SockjsSessionOptions = {
      wheel: this.ctx.wheel,
      heartbeatDelayMs: this.options.heartbeatDelayMs,
      disconnectDelayMs,
      responseLimit,
      onClientGone: (sockjs) => {
        const client = this.clients.get(sockjs);
        if (client) {
          this.options.live.delete(client);
          client.handleTransportClosed(DisconnectCode.connectionClosed);
        }
      },
      onRemoved: (sockjs) => {
        const client = this.clients.get(sockjs);
        if (client) this.options.live.delete(client);
        this.clients.delete(sockjs);
        if (this.sessions.get(sockjs.id) === sockjs) this.sessions.delete(sockjs.id);
      },
    };
    const sockjs = new SockjsSession(id, sessionOptions, reattachable);
    const client = openSession(this.ctx, new SockjsTransport(sockjs), jsonCodec);
    this.clients.set(sockjs, client);
    this.options.live.add(client);
    if (reattachable) this.sessions.set(id, sockjs);
    return sockjs;
  }

  /** A client message over `sockjs.max_message_size`: the session closes with 1009, as a WebSocket would. */
  refuseOversized(sockjs: SockjsSession): void {
    const client = this.clients.get(sockjs);
    if (client) client.close({ code: 1009, reason: 'Message too big' });
    else sockjs.close(1009, 'Message too big');
  }

  /** The largest send body or WebSocket message to read: messages at the limit, JSON-escaped, in an array. */
  get frameLimit(): number {
    return this.options.maxMessageSize * 2 + 64;
  }

  /** Whether one of the messages is over `sockjs.max_message_size`. */
  oversized(messages: readonly string[]): boolean {
    return messages.some((message) => Buffer.byteLength(message) > this.options.maxMessageSize);
  }

  /** Messages a client sent: each one is a JSON protocol frame for its session. */
  deliver(sockjs: SockjsSession, messages: readonly string[]): void {
    const client = this.clients.get(sockjs);
    if (!client) return;
    for (const message of messages) {
      if (client.closed) return;
      client.handleFrame(Buffer.from(message, 'utf8'));
    }
  }
}

import type { Disconnect } from '../../src/protocol/codes.js';

/** Client-facing limits and timings, resolved from config once at start (durations in ms). */
export interface ClientOptions {
  insecure: boolean;
  /** Centrifugo's anonymous rule: a connection without a token is accepted as user "" only when allowed. */
  allowAnonymousConnectWithoutToken: boolean;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  staleCloseDelayMs: number;
  expiredCloseDelayMs: number;
  expiredSubCloseDelayMs: number;
  channelLimit: number;
  queueMaxSize: number;
  userConnectionLimit: number;
  connectionLimit: number;
  connectIncludeServerTime: boolean;
  /** Refuse connection tokens with an empty user (3507), as `client.disallow_anonymous_connection_tokens`. */
  disallowAnonymousConnectionTokens: boolean;
  /**
   * `client.subscribe_to_user_personal_channel`: the channel each authenticated user is subscribed to at
   * connect (null when off), and whether a new connection of the user disconnects the others (3504).
   */
  personalChannel: ((user: string) => string) | null;
  personalSingleConnection: boolean;
  /** `client.connect_code_to_unidirectional_disconnect`: connect error code → disconnect (null when off). */
  uniCodeToDisconnect: ReadonlyMap<number, Disconnect> | null;
  /** `rpc.ping`: the RPC method answered with an empty result (null when off). */
  rpcPingMethod: string | null;
  /** Ringcast extension: honour the SDKs' channel compaction request (subscribe flag bit 1). */
  allowChannelCompaction: boolean;
  /** Most replies joined into one bidirectional WebSocket message (`ringcast.client.max_messages_in_frame`). */
  maxMessagesInFrame: number;
  allowedOrigins: string[];
  /** Most publications a recovery may return; more missed means `recovered: false`. */
  recoveryMaxPublicationLimit: number;
  /** Cap on a client's history request limit. */
  historyMaxPublicationLimit: number;
  /** How often a session re-announces its presence entries, and how long an entry lives without that. */
  presenceUpdateIntervalMs: number;
  presenceTtlMs: number;
}

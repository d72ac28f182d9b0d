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
  allowedOrigins: string[];
  /** Most publications a recovery may return; more missed means `recovered: false`. */
  recoveryMaxPublicationLimit: number;
  /** Cap on a client's history request limit. */
  historyMaxPublicationLimit: number;
  /** How often a session re-announces its presence entries, and how long an entry lives without that. */
  presenceUpdateIntervalMs: number;
  presenceTtlMs: number;
}

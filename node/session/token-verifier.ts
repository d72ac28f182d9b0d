import type { Bytes } from '../../src/protocol/client-protocol.js';
import type { SubscribeOverride } from '../../src/auth/token-claims.js';

/** One server-side subscription named by a connection token's `subs` claim. */
export interface TokenSubscriptionClaims {
  info?: Bytes;
  data?: Bytes;
  override?: SubscribeOverride;
}

/** Connection token claims a session acts on. */
export interface ConnectionTokenClaims {
  sub: string;
  /** Seconds since the epoch; absent = the connection never expires. */
  exp?: number;
  expire_at?: number;
  info?: Bytes;
  channels?: string[];
  subs?: Record<string, TokenSubscriptionClaims>;
  /** Opaque connection metadata (JSON text), kept for proxies with include_connection_meta. */
  meta?: Bytes;
}

/** Subscription token claims a session acts on. */
export interface SubscriptionTokenClaims {
  sub: string;
  channel: string;
  /** When set, only the connection with this client id may use the token. */
  client?: string;
  exp?: number;
  expire_at?: number;
  info?: Bytes;
  data?: Bytes;
  override?: SubscribeOverride;
}

export type TokenCheck<T> =
  | { ok: true; claims: T }
  | { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; message: string };

export interface TokenVerifier {
  verifyConnectionToken(token: string): Promise<TokenCheck<ConnectionTokenClaims>>;
  verifySubscriptionToken(token: string): Promise<TokenCheck<SubscriptionTokenClaims>>;
}

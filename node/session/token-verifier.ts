import type { Bytes } from '../../src/protocol/client-protocol.js';

/** Connection token claims a session acts on. */
export interface ConnectionTokenClaims {
  sub: string;
  /** Seconds since the epoch; absent = the connection never expires. */
  exp?: number;
  expire_at?: number;
  info?: Bytes;
  channels?: string[];
  subs?: Record<string, { data?: Bytes }>;
}

/** Subscription token claims a session acts on. */
export interface SubscriptionTokenClaims {
  sub: string;
  channel: string;
  exp?: number;
  expire_at?: number;
  info?: Bytes;
}

export type TokenCheck<T> =
  | { ok: true; claims: T }
  | { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; message: string };

export interface TokenVerifier {
  verifyConnectionToken(token: string): Promise<TokenCheck<ConnectionTokenClaims>>;
  verifySubscriptionToken(token: string): Promise<TokenCheck<SubscriptionTokenClaims>>;
}

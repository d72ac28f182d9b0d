import { SignJWT } from 'jose';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { parseGoDuration } from '../../src/config/go-duration.js';
import { UsageError } from './args.js';

/** gentoken needs the HMAC secret: it signs HS256 tokens only. */
export class NoHmacSecretError extends Error {
  readonly code = 'NO_HMAC_SECRET';
  constructor() {
    super(
      'no HMAC secret configured: set client.token.hmac_secret_key (or RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY); ' +
        'gentoken signs HS256 tokens only',
    );
    this.name = 'NoHmacSecretError';
  }
}

/** A TTL as a Go duration ("1h", "30m") or whole seconds ("3600"); 0 or negative = a token that never expires. */
export function parseTtlSeconds(text: string): number {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Math.max(0, Number(trimmed));
  const ns = parseGoDuration(trimmed);
  if (ns === null) throw new UsageError(`gentoken: --ttl expects a duration like "1h" or "30m", or seconds; got "${text}"`);
  return Math.max(0, Math.floor(ns / 1e9));
}

/** Parses `--info` as JSON (any JSON value becomes the token's `info` claim). */
export function parseInfo(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new UsageError(`gentoken: --info must be JSON, e.g. '{"name":"Alice"}'`, { cause });
  }
}

export interface TokenRequest {
  user: string;
  /** 0 = no `exp` claim. */
  ttlSeconds: number;
  info?: unknown;
  /** Server-side subscriptions (the `channels` claim). */
  channels?: readonly string[];
  /** Milliseconds since the epoch (tests pin it). */
  now?: number;
}

/**
 * An HS256 connection token the configured node accepts: `sub` (and the `user_id_claim` claim when that is
 * set), `iat`, `exp`, `info`, plus `aud`/`iss` when the config requires them.
 */
export async function generateConnectionToken(config: RingcastConfig, request: TokenRequest): Promise<string> {
  const token = config.client.token;
  if (!token.hmac_secret_key) throw new NoHmacSecretError();
  const nowSeconds = Math.floor((request.now ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = { sub: request.user };
  if (token.user_id_claim) claims[token.user_id_claim] = request.user;
  if (request.info !== undefined) claims['info'] = request.info;
  if (request.channels && request.channels.length > 0) claims['channels'] = [...request.channels];
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(nowSeconds);
  if (request.ttlSeconds > 0) jwt = jwt.setExpirationTime(nowSeconds + request.ttlSeconds);
  if (token.audience) jwt = jwt.setAudience(token.audience);
  if (token.issuer) jwt = jwt.setIssuer(token.issuer);
  return jwt.sign(new TextEncoder().encode(token.hmac_secret_key));
}

import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { VerificationKeys } from './verification-keys.js';

/** `unavailable`: the token could not be checked right now (JWKS endpoint down); the client should retry. */
export type TokenFailure = { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; message: string };
export type TokenResult<T> = { ok: true; claims: T } | TokenFailure;

/** Audience/issuer rules from a `client.token`-shaped section, compiled. */
export interface ClaimRules {
  audience: string;
  audienceRegex: RegExp | null;
  issuer: string;
  issuerRegex: RegExp | null;
}

export function invalid(message: string): TokenFailure {
  return { ok: false, reason: 'invalid', message };
}

/** Decodes the payload without verifying anything (malformed tokens are "invalid"). */
export function decodeUnverified(token: string): { ok: true; payload: Record<string, unknown> } | TokenFailure {
  try {
    return { ok: true, payload: decodeJwt(token) as Record<string, unknown> };
  } catch (cause) {
    return invalid(`malformed token: ${(cause as Error).message}`);
  }
}

/** The regex rules, checked before the signature as in Centrifugo (a mismatch is "invalid" either way). */
export function checkRegexRules(payload: Record<string, unknown>, rules: ClaimRules): TokenFailure | null {
  if (rules.issuerRegex) {
    const iss = payload['iss'];
    if (typeof iss !== 'string' || !rules.issuerRegex.test(iss)) return invalid('issuer does not match issuer_regex');
  }
  if (rules.audienceRegex) {
    const aud = payload['aud'];
    const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    const regex = rules.audienceRegex;
    if (!list.some((item) => typeof item === 'string' && regex.test(item))) {
      return invalid('audience does not match audience_regex');
    }
  }
  return null;
}

function headerAlg(token: string): string {
  try {
    return decodeProtectedHeader(token).alg ?? '(none)';
  } catch {
    return '(unreadable)';
  }
}

function signedWithHmac(token: string): boolean {
  return headerAlg(token).startsWith('HS');
}

/** Claim failures come after a successful signature check: no other key would change the outcome. */
function verifiedButRejected(cause: unknown): boolean {
  return cause instanceof errors.JWTExpired || cause instanceof errors.JWTClaimValidationFailed;
}

function withinRotation(validUntil: number, now: () => number): boolean {
  return validUntil === 0 || now() / 1000 <= validUntil;
}

function failureOf(cause: unknown, token: string): TokenFailure {
  if (cause instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'token expired' };
  // Centrifugo treats a token that is not valid yet ("nbf" in the future) as expired too.
  if (cause instanceof errors.JWTClaimValidationFailed && cause.claim === 'nbf') {
    return { ok: false, reason: 'expired', message: 'token not valid yet (nbf)' };
  }
  if (cause instanceof errors.JOSEAlgNotAllowed) {
    return invalid(`algorithm ${headerAlg(token)} is not accepted by the configured keys`);
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) return invalid('signature verification failed');
  if (cause instanceof errors.JWKSNoMatchingKey) return invalid('no matching key in the JWKS');
  if (cause instanceof errors.JWKSTimeout || jwksFetchFailed(cause)) {
    return { ok: false, reason: 'unavailable', message: `JWKS endpoint unavailable: ${(cause as Error).message}` };
  }
  if (cause instanceof errors.JOSEError) return invalid(cause.message);
  return invalid(`token cannot be verified: ${(cause as Error).message}`);
}

/** The key set could not be fetched: a network failure or a non-200 answer from the JWKS endpoint. */
function jwksFetchFailed(cause: unknown): boolean {
  if (!(cause instanceof Error)) return false;
  if (!(cause instanceof errors.JOSEError)) return cause.name === 'TypeError' || 'code' in cause;
  return /JSON Web Key Set HTTP response/.test(cause.message);
}

/**
 * Verifies signature (restricted to the configured families), exact audience/issuer and exp/nbf.
 * During HMAC key rotation a token the current secret rejects is tried with the previous one.
 */
export async function verifySignedToken(
  token: string,
  keys: VerificationKeys,
  rules: ClaimRules,
  now: () => number = Date.now,
): Promise<{ ok: true; payload: JWTPayload } | TokenFailure> {
  if (!keys.configured) return invalid('no token verification key is configured');
  const options: JWTVerifyOptions = { algorithms: keys.algorithms, currentDate: new Date(now()) };
  if (rules.audience) options.audience = rules.audience;
  if (rules.issuer) options.issuer = rules.issuer;
  try {
    const { payload } = await jwtVerify(token, keys.getKey, options);
    return { ok: true, payload };
  } catch (cause) {
    const previous = keys.previousHmac;
    if (previous && signedWithHmac(token) && !verifiedButRejected(cause) && withinRotation(previous.validUntil, now)) {
      try {
        const { payload } = await jwtVerify(token, previous.getKey, { ...options, algorithms: ['HS256', 'HS384', 'HS512'] });
        return { ok: true, payload };
      } catch (retryCause) {
        return failureOf(retryCause, token);
      }
    }
    return failureOf(cause, token);
  }
}

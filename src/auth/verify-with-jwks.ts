import { errors, jwtVerify, type JWTVerifyOptions } from 'jose';
import type { ClaimRules } from './claim-rules.js';
import { expired, invalid, type TokenFailure } from './token-failure.js';
import type { JwksKeys } from './verification-keys.js';

/** The key set could not be fetched: a network failure or a non-200 answer from the JWKS endpoint. */
function jwksFetchFailed(cause: unknown): boolean {
  if (!(cause instanceof Error)) return false;
  if (!(cause instanceof errors.JOSEError)) return cause.name === 'TypeError' || 'code' in cause;
  return /JSON Web Key Set HTTP response/.test(cause.message);
}

function failureOf(cause: unknown): TokenFailure {
  if (cause instanceof errors.JWTExpired) return expired('token expired');
  // Centrifugo treats a token that is not valid yet ("nbf" in the future) as expired too.
  if (cause instanceof errors.JWTClaimValidationFailed && cause.claim === 'nbf') return expired('token not valid yet (nbf)');
  if (cause instanceof errors.JWSSignatureVerificationFailed) return invalid('signature verification failed');
  if (cause instanceof errors.JWKSNoMatchingKey) return invalid('no matching key in the JWKS');
  if (cause instanceof errors.JWKSTimeout || jwksFetchFailed(cause)) {
    return { ok: false, reason: 'unavailable', message: `JWKS endpoint unavailable: ${(cause as Error).message}` };
  }
  if (cause instanceof errors.JOSEError) return invalid(cause.message);
  return invalid(`token cannot be verified: ${(cause as Error).message}`);
}

/** Verifies a token with a key from the JWKS endpoint (jose fetches, caches and refreshes the set). */
export async function verifyWithJwks(token: string, keys: JwksKeys, rules: ClaimRules, nowMs: number): Promise<TokenFailure | null> {
  const options: JWTVerifyOptions = { algorithms: keys.algorithms, currentDate: new Date(nowMs) };
  if (rules.audience) options.audience = rules.audience;
  if (rules.issuer) options.issuer = rules.issuer;
  try {
    await jwtVerify(token, keys.getKey, options);
    return null;
  } catch (cause) {
    return failureOf(cause);
  }
}

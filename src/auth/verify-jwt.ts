import type { ClaimRules } from './claim-rules.js';
import type { CompactJwt } from './compact-jwt.js';
import { verifyJwsSignature } from './jws-signature.js';
import { checkRegisteredClaims } from './registered-claims.js';
import { invalid, type TokenFailure } from './token-failure.js';
import type { StaticKeys, VerificationKeys } from './verification-keys.js';
import { verifyWithJwks } from './verify-with-jwks.js';

function withinRotation(validUntil: number, nowMs: number): boolean {
  return validUntil === 0 || nowMs / 1000 <= validUntil;
}

/** Header checks jose makes for a JWT: a named algorithm among the accepted ones, no `crit` extensions. */
function checkHeader(header: Record<string, unknown>, keys: VerificationKeys): string | TokenFailure {
  const alg = header['alg'];
  if (typeof alg !== 'string' || alg === '') return invalid('malformed token: header has no "alg"');
  if (!keys.algorithms.includes(alg)) return invalid(`algorithm ${alg} is not accepted by the configured keys`);
  if (header['crit'] !== undefined) return invalid('the "crit" header parameter is not supported');
  return alg;
}

function verifyStatic(jwt: CompactJwt, alg: string, keys: StaticKeys, rules: ClaimRules, nowMs: number): TokenFailure | null {
  const key = keys.byAlg.get(alg);
  let signed = key !== undefined && verifyJwsSignature(alg, key, jwt.signingInput, jwt.signature);
  // During HMAC key rotation a token the current secret rejects is tried with the previous one.
  const previous = keys.previousHmac;
  if (!signed && previous && alg.startsWith('HS') && withinRotation(previous.validUntil, nowMs)) {
    signed = verifyJwsSignature(alg, previous.key, jwt.signingInput, jwt.signature);
  }
  if (!signed) return invalid('signature verification failed');
  return checkRegisteredClaims(jwt.payload, rules, nowMs);
}

/**
 * Verifies the signature (restricted to the configured families), then exp/nbf/iat and exact audience/issuer.
 * Keys from the configuration are checked synchronously with node:crypto; JWKS keys go through jose.
 */
export async function verifySignedToken(
  token: string,
  jwt: CompactJwt,
  keys: VerificationKeys,
  rules: ClaimRules,
  now: () => number = Date.now,
): Promise<TokenFailure | null> {
  if (!keys.configured) return invalid('no token verification key is configured');
  const alg = checkHeader(jwt.header, keys);
  if (typeof alg !== 'string') return alg;
  if (keys.kind === 'jwks') return verifyWithJwks(token, keys, rules, now());
  return verifyStatic(jwt, alg, keys, rules, now());
}

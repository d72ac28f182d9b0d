import { expired, invalid, type TokenFailure } from './token-failure.js';
import type { ClaimRules } from './claim-rules.js';

function numericDate(payload: Record<string, unknown>, claim: string): number | undefined | TokenFailure {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(`"${claim}" claim must be a number`);
  return value;
}

/**
 * The registered claims, checked after the signature with jose's rules (no clock tolerance): `exp` at or
 * before now is expired; `nbf` after now is "not valid yet", which Centrifugo also answers as expired; `iat`
 * must be a number; exact `iss` and `aud` (any audience of a list) when configured.
 */
export function checkRegisteredClaims(payload: Record<string, unknown>, rules: ClaimRules, nowMs: number): TokenFailure | null {
  if (rules.issuer && payload['iss'] !== rules.issuer) return invalid('unexpected "iss" claim value');
  if (rules.audience) {
    const aud = payload['aud'];
    const matches = typeof aud === 'string' ? aud === rules.audience : Array.isArray(aud) && aud.includes(rules.audience);
    if (!matches) return invalid('unexpected "aud" claim value');
  }
  const now = Math.floor(nowMs / 1000);
  const iat = numericDate(payload, 'iat');
  if (typeof iat === 'object') return iat;
  const nbf = numericDate(payload, 'nbf');
  if (typeof nbf === 'object') return nbf;
  if (nbf !== undefined && nbf > now) return expired('token not valid yet (nbf)');
  const exp = numericDate(payload, 'exp');
  if (typeof exp === 'object') return exp;
  if (exp !== undefined && exp <= now) return expired('token expired');
  return null;
}

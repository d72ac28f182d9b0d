import { invalid, type TokenFailure } from './token-failure.js';

/** Audience/issuer rules from a `client.token`-shaped section, compiled. */
export interface ClaimRules {
  audience: string;
  audienceRegex: RegExp | null;
  issuer: string;
  issuerRegex: RegExp | null;
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

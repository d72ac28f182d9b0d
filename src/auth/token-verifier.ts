import type { RingcastConfig, TokenKeysConfig } from '../config/config-schema.js';
import { compileGoRegex } from '../config/go-regex.js';
import {
  rawConnectionClaims,
  rawSubscriptionClaims,
  toConnectionClaims,
  toSubscriptionClaims,
  userFromPayload,
  type ConnectionClaims,
  type SubscriptionClaims,
} from './token-claims.js';
import { checkRegexRules, type ClaimRules } from './claim-rules.js';
import { parseCompactJwt } from './compact-jwt.js';
import { invalid, type TokenResult } from './token-failure.js';
import { buildVerificationKeys, type VerificationKeys } from './verification-keys.js';
import { verifySignedToken } from './verify-jwt.js';

export type { TokenResult } from './token-failure.js';
export type { ConnectionClaims, SubscriptionClaims, SubscribeOverride, TokenSubscription } from './token-claims.js';

export interface TokenVerifier {
  /** Expired (or not yet valid) → reason 'expired' (error 109); anything else wrong → 'invalid' (disconnect 3500). */
  verifyConnectionToken(token: string): Promise<TokenResult<ConnectionClaims>>;
  /** Expired → 'expired' (error 109); otherwise 'invalid' (error 103 on subscribe, 3500 on sub_refresh). */
  verifySubscriptionToken(token: string): Promise<TokenResult<SubscriptionClaims>>;
}

interface TokenKind {
  keys: VerificationKeys;
  rules: ClaimRules;
  userIdClaim: string;
}

function tokenKind(token: TokenKeysConfig, ed25519Pem: string, keyPrefix: string, ed25519Path: string): TokenKind {
  return {
    keys: buildVerificationKeys(token, ed25519Pem, { keyPrefix, ed25519Path }),
    rules: {
      audience: token.audience,
      audienceRegex: token.audience_regex ? compileGoRegex(token.audience_regex) : null,
      issuer: token.issuer,
      issuerRegex: token.issuer_regex ? compileGoRegex(token.issuer_regex) : null,
    },
    userIdClaim: token.user_id_claim,
  };
}

function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `claim ${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}` : 'bad claims';
}

/**
 * Verifies connection and subscription JWTs with the configured keys (node:crypto for configured keys, jose for a JWKS endpoint). Subscription tokens use
 * `client.subscription_token.*` when `client.subscription_token.enabled`, else the connection token keys.
 * Throws ConfigError at creation for an unusable key; never throws while verifying.
 */
export function createTokenVerifier(config: RingcastConfig, now: () => number = Date.now): TokenVerifier {
  const client = config.client;
  const extension = config.ringcast.client;
  const connection = tokenKind(
    client.token,
    extension.token.ed25519_public_key,
    'client.token',
    'ringcast.client.token.ed25519_public_key',
  );
  const subscription = client.subscription_token.enabled
    ? tokenKind(
        client.subscription_token,
        extension.subscription_token.ed25519_public_key,
        'client.subscription_token',
        'ringcast.client.subscription_token.ed25519_public_key',
      )
    : connection;

  return {
    async verifyConnectionToken(token) {
      const jwt = parseCompactJwt(token);
      if ('ok' in jwt) return jwt;
      const payload = jwt.payload;
      const parsed = rawConnectionClaims.safeParse(payload);
      if (!parsed.success) return invalid(firstIssue(parsed.error));
      if (parsed.data.channel) return invalid('a connection token must not contain a channel claim');
      const ruleFailure = checkRegexRules(payload, connection.rules);
      if (ruleFailure) return ruleFailure;
      const failure = await verifySignedToken(token, jwt, connection.keys, connection.rules, now);
      if (failure) return failure;
      return { ok: true, claims: toConnectionClaims(parsed.data, userFromPayload(payload, connection.userIdClaim)) };
    },

    async verifySubscriptionToken(token) {
      const jwt = parseCompactJwt(token);
      if ('ok' in jwt) return jwt;
      const payload = jwt.payload;
      const parsed = rawSubscriptionClaims.safeParse(payload);
      if (!parsed.success) return invalid(firstIssue(parsed.error));
      const ruleFailure = checkRegexRules(payload, subscription.rules);
      if (ruleFailure) return ruleFailure;
      const failure = await verifySignedToken(token, jwt, subscription.keys, subscription.rules, now);
      if (failure) return failure;
      const channel = parsed.data.channel;
      if (!channel) return invalid('a subscription token needs a channel claim');
      const user = userFromPayload(payload, subscription.userIdClaim);
      return { ok: true, claims: toSubscriptionClaims(parsed.data, user, channel) };
    },
  };
}

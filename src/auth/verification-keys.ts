import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { TokenKeysConfig } from '../config/config-schema.js';
import { parseEcdsaPublicKey, parseEd25519PublicKey, parseRsaPublicKey } from './parse-public-key.js';

/** Keys from the configuration, by the algorithm each serves. */
export interface StaticKeys {
  kind: 'static';
  /** Algorithms a token header may name. */
  algorithms: string[];
  byAlg: ReadonlyMap<string, KeyObject>;
  /** The previous HMAC secret during rotation, tried when the current one fails (HS* only). */
  previousHmac?: { key: KeyObject; validUntil: number };
  /** Whether any key is configured at all. */
  configured: boolean;
}

/** Keys fetched (and cached, refreshed on an unknown `kid`) from a JWKS endpoint. */
export interface JwksKeys {
  kind: 'jwks';
  algorithms: string[];
  getKey: JWTVerifyGetKey;
  configured: true;
}

/**
 * The keys one kind of token is verified with. Each configured key serves only its own algorithm family, so
 * `alg: none`, or HS256 "signed" with an RSA public key's PEM text as the HMAC secret, find no key.
 */
export type VerificationKeys = StaticKeys | JwksKeys;

export const hmacAlgorithms = ['HS256', 'HS384', 'HS512'];
const rsaAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const jwksAlgorithms = [...rsaAlgorithms, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/**
 * Builds the keys from a `client.token`-shaped section (plus the Ringcast Ed25519 PEM). As in Centrifugo, a
 * JWKS endpoint replaces the static keys. PEM errors throw ConfigError naming `keyPrefix`'s key.
 */
export function buildVerificationKeys(
  token: TokenKeysConfig,
  ed25519Pem: string,
  paths: { keyPrefix: string; ed25519Path: string },
): VerificationKeys {
  if (token.jwks_public_endpoint) {
    const jwks = createRemoteJWKSet(new URL(token.jwks_public_endpoint));
    return { kind: 'jwks', algorithms: jwksAlgorithms, getKey: jwks, configured: true };
  }
  const byAlg = new Map<string, KeyObject>();
  if (token.hmac_secret_key) {
    const key = hmacKey(token.hmac_secret_key);
    for (const alg of hmacAlgorithms) byAlg.set(alg, key);
  }
  if (token.rsa_public_key) {
    const key = parseRsaPublicKey(token.rsa_public_key, `${paths.keyPrefix}.rsa_public_key`);
    for (const alg of rsaAlgorithms) byAlg.set(alg, key);
  }
  if (token.ecdsa_public_key) {
    const { key, alg } = parseEcdsaPublicKey(token.ecdsa_public_key, `${paths.keyPrefix}.ecdsa_public_key`);
    byAlg.set(alg, key);
  }
  if (ed25519Pem) {
    const key = parseEd25519PublicKey(ed25519Pem, paths.ed25519Path);
    byAlg.set('EdDSA', key);
    byAlg.set('Ed25519', key);
  }
  const keys: StaticKeys = { kind: 'static', algorithms: [...byAlg.keys()], byAlg, configured: byAlg.size > 0 };
  if (token.hmac_previous_secret_key) {
    keys.previousHmac = {
      key: hmacKey(token.hmac_previous_secret_key),
      validUntil: token.hmac_previous_secret_key_valid_until,
    };
    if (!token.hmac_secret_key) keys.algorithms.push(...hmacAlgorithms);
    keys.configured = true;
  }
  return keys;
}

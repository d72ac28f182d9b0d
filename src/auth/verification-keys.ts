import { webcrypto, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { TokenKeysConfig } from '../config/config-schema.js';
import { parseEcdsaPublicKey, parseEd25519PublicKey, parseRsaPublicKey } from './parse-public-key.js';

type VerifyKey = Uint8Array | KeyObject | (() => Promise<webcrypto.CryptoKey>);

/**
 * An HMAC secret imported once per hash as a WebCrypto key, on first use: jose would otherwise import the raw
 * secret for every token (measured here: 144 µs per HS256 verify with raw bytes, 62 µs with the imported key).
 */
function hmacKey(secret: Uint8Array, alg: string): () => Promise<webcrypto.CryptoKey> {
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const hash = `SHA-${alg.slice(2)}`;
  return () => (imported ??= webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['verify']));
}

/**
 * The keys one kind of token is verified with. Each configured key serves only its own algorithm family, so
 * `alg: none`, or HS256 "signed" with an RSA public key's PEM text as the HMAC secret, find no key.
 */
export interface VerificationKeys {
  /** Algorithms a token header may name. */
  algorithms: string[];
  getKey: JWTVerifyGetKey;
  /** The previous HMAC secret during rotation, tried when the current one fails (HS* only). */
  previousHmac?: { getKey: JWTVerifyGetKey; validUntil: number };
  /** Whether any key is configured at all. */
  configured: boolean;
}

const hmacAlgorithms = ['HS256', 'HS384', 'HS512'];
const rsaAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const jwksAlgorithms = [...rsaAlgorithms, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

function staticResolver(byAlg: ReadonlyMap<string, VerifyKey>): JWTVerifyGetKey {
  return (header) => {
    const key = byAlg.get(header.alg);
    if (!key) throw new Error(`no key configured for algorithm ${header.alg}`);
    return typeof key === 'function' ? key() : key;
  };
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
    return { algorithms: jwksAlgorithms, getKey: jwks, configured: true };
  }
  const byAlg = new Map<string, VerifyKey>();
  if (token.hmac_secret_key) {
    const secret = new TextEncoder().encode(token.hmac_secret_key);
    for (const alg of hmacAlgorithms) byAlg.set(alg, hmacKey(secret, alg));
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
  const keys: VerificationKeys = {
    algorithms: [...byAlg.keys()],
    getKey: staticResolver(byAlg),
    configured: byAlg.size > 0,
  };
  if (token.hmac_previous_secret_key) {
    const previous = new TextEncoder().encode(token.hmac_previous_secret_key);
    keys.previousHmac = {
      getKey: staticResolver(new Map(hmacAlgorithms.map((alg) => [alg, hmacKey(previous, alg)]))),
      validUntil: token.hmac_previous_secret_key_valid_until,
    };
    if (!token.hmac_secret_key) keys.algorithms.push(...hmacAlgorithms);
    keys.configured = true;
  }
  return keys;
}

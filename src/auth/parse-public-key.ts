import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';

export type EcdsaAlgorithm = 'ES256' | 'ES384' | 'ES512';

const curveAlgorithm: Record<string, EcdsaAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

function load(pem: string, key: string, what: string): KeyObject {
  // A PEM pasted into an environment variable often arrives with literal "\n" sequences.
  const text = pem.includes('-----BEGIN') && !pem.includes('\n') ? pem.replace(/\\n/g, '\n') : pem;
  try {
    return createPublicKey(text);
  } catch (cause) {
    throw new ConfigError(key, `not a valid ${what} in PEM format (${(cause as Error).message})`, { cause });
  }
}

/** An RSA public key (SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" or an X.509 certificate). */
export function parseRsaPublicKey(pem: string, key: string): KeyObject {
  const keyObject = load(pem, key, 'RSA public key');
  if (keyObject.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(key, `expected an RSA public key, got a ${keyObject.asymmetricKeyType ?? 'different'} key`);
  }
  return keyObject;
}

/** An ECDSA public key on P-256, P-384 or P-521, with the one JWT algorithm that curve signs. */
export function parseEcdsaPublicKey(pem: string, key: string): { key: KeyObject; alg: EcdsaAlgorithm } {
  const keyObject = load(pem, key, 'ECDSA public key');
  if (keyObject.asymmetricKeyType !== 'ec') {
    throw new ConfigError(key, `expected an ECDSA public key, got a ${keyObject.asymmetricKeyType ?? 'different'} key`);
  }
  const curve = keyObject.asymmetricKeyDetails?.namedCurve ?? '';
  const alg = curveAlgorithm[curve];
  if (!alg) throw new ConfigError(key, `unsupported ECDSA curve ${curve || '(unknown)'}; use P-256, P-384 or P-521`);
  return { key: keyObject, alg };
}

/** An Ed25519 public key (Ringcast extension for EdDSA tokens without JWKS). */
export function parseEd25519PublicKey(pem: string, key: string): KeyObject {
  const keyObject = load(pem, key, 'Ed25519 public key');
  if (keyObject.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(key, `expected an Ed25519 public key, got a ${keyObject.asymmetricKeyType ?? 'different'} key`);
  }
  return keyObject;
}

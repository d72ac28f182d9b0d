import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { loadConfig } from '../../../../src/config/load-config.js';
import type { RingcastConfig } from '../../../../src/config/config-schema.js';

export const secret = 'unit-test-hmac-secret-0123456789abcdef';
export const otherSecret = 'another-secret-0123456789abcdef0123456';

export function configWith(overrides: Record<string, unknown>): RingcastConfig {
  return loadConfig({ env: {}, overrides }).config;
}

export function pem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
export const ed25519 = generateKeyPairSync('ed25519');

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Signs `claims` with `alg`; `key` is a secret string or a private KeyObject. */
export async function sign(
  claims: JWTPayload & Record<string, unknown>,
  alg: string,
  key: string | KeyObject | Uint8Array,
  header: Record<string, unknown> = {},
): Promise<string> {
  const signingKey = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(signingKey);
}

export function hs256(claims: Record<string, unknown>, key: string = secret): Promise<string> {
  return sign(claims, 'HS256', key);
}

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A hand-made token from raw header and payload JSON (for alg none and malformed cases). */
export function rawToken(header: unknown, payload: unknown, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

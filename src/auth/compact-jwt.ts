import { invalid, type TokenFailure } from './token-failure.js';

/** A JWT in compact serialization, split and decoded but not verified. */
export interface CompactJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const base64url = /^[A-Za-z0-9_-]*$/;

function decodeJsonObject(part: string, what: string): Record<string, unknown> | string {
  if (!base64url.test(part)) return `${what} is not base64url`;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return `${what} is not JSON`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${what} is not a JSON object`;
  return value as Record<string, unknown>;
}

/**
 * Splits `header.payload.signature` and decodes the two JSON objects (strict base64url, as jose reads them).
 * Anything else is a malformed token.
 */
export function parseCompactJwt(token: string): CompactJwt | TokenFailure {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) return invalid('malformed token: not three dot-separated parts');
  const header = decodeJsonObject(token.slice(0, first), 'header');
  if (typeof header === 'string') return invalid(`malformed token: ${header}`);
  const payload = decodeJsonObject(token.slice(first + 1, second), 'payload');
  if (typeof payload === 'string') return invalid(`malformed token: ${payload}`);
  const signature = token.slice(second + 1);
  if (!base64url.test(signature)) return invalid('malformed token: signature is not base64url');
  return { header, payload, signingInput: token.slice(0, second), signature: Buffer.from(signature, 'base64url') };
}

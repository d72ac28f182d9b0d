import type { Bytes } from '../../../src/protocol/client-protocol.js';
import { rawMember } from './api-json.js';

/**
 * A request parameter Ringcast cannot use. `type`: the JSON has the wrong type, which Centrifugo's decoder refuses
 * with HTTP 400 before the method runs; `value`: the type is right but the value is not (error 107 in the body).
 */
export class ApiParamError extends Error {
  readonly code = 'API_BAD_PARAM';
  constructor(
    readonly field: string,
    expected: string,
    readonly kind: 'type' | 'value' = 'type',
  ) {
    super(`${field}: expected ${expected}`);
    this.name = 'ApiParamError';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(params: Record<string, unknown>, field: string): string | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiParamError(field, 'a string');
  return value;
}

export function requiredString(params: Record<string, unknown>, field: string): string {
  const value = optionalString(params, field);
  if (value === undefined || value === '') throw new ApiParamError(field, 'a non-empty string', 'value');
  return value;
}

export function optionalBool(params: Record<string, unknown>, field: string): boolean {
  const value = params[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new ApiParamError(field, 'a boolean');
  return value;
}

export function optionalInt(params: Record<string, unknown>, field: string): number | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ApiParamError(field, 'an integer');
  return value;
}

export function optionalStringArray(params: Record<string, unknown>, field: string): string[] {
  const value = params[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ApiParamError(field, 'an array of strings');
  }
  return value as string[];
}

export function optionalStringMap(params: Record<string, unknown>, field: string): Record<string, string> | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new ApiParamError(field, 'an object of strings');
  }
  return value as Record<string, string>;
}

/** A JSON payload given as `<field>` (any JSON value) or `b64<field>` (base64 bytes). */
export function optionalPayload(params: Record<string, unknown>, field: string): Bytes | undefined {
  const b64 = params['b64' + field];
  if (b64 !== undefined && b64 !== null && b64 !== '') {
    if (typeof b64 !== 'string') throw new ApiParamError('b64' + field, 'a base64 string');
    // Standard base64 with padding, as Go's StdEncoding decodes it (Buffer.from alone skips bad characters).
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
      throw new ApiParamError('b64' + field, 'valid base64', 'value');
    }
    return Buffer.from(b64, 'base64');
  }
  const value = params[field];
  if (value === undefined) return undefined;
  // The payload's own bytes from the request (Centrifugo keeps it raw); re-serialised only for a built object.
  const raw = rawMember(params, field);
  return raw ?? Buffer.from(JSON.stringify(value));
}

import { isPlainObject } from '../http/api/api-params.js';

// A decoded gRPC API request (proto-loader objects: snake_case names, unset fields absent, `bytes` as Buffer,
// 64-bit integers as decimal strings) turned into the JSON-shaped params the HTTP API methods take, so both APIs
// run the same method code.

/** The 64-bit integer fields of the API's requests (expire_at, since.offset, recover_since.offset, version). */
const int64Fields = new Set(['expire_at', 'offset', 'version']);

/** Maps hold the caller's keys, which must not be mistaken for field names. */
const mapFields = new Set(['tags']);

function convertValue(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => convertValue('', item));
  if (isPlainObject(value)) return grpcRequestParams(value);
  if (typeof value === 'string' && int64Fields.has(key) && /^-?\d+$/.test(value)) {
    const number = Number(value);
    // Beyond 2^53 stays a string, which the method refuses as a bad request rather than rounding it.
    return Number.isSafeInteger(number) ? number : value;
  }
  return value;
}

/**
 * The params of one request. A `bytes` payload (`data`, `info`, `params`) travels on as its base64 twin
 * (`b64data`, …) unless the caller set that twin, which wins as in Centrifugo: the methods take those bytes verbatim.
 */
export function grpcRequestParams(request: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Uint8Array) {
      const twin = 'b64' + key;
      if (typeof request[twin] !== 'string' || request[twin] === '') params[twin] = Buffer.from(value).toString('base64');
      continue;
    }
    if (params[key] !== undefined) continue; // a b64 twin already filled from its bytes field
    params[key] = mapFields.has(key) ? value : convertValue(key, value);
  }
  return params;
}

import { RawJson } from '../../../src/protocol/json-raw.js';

/** Where a parsed request object sits in the request text, so payload fields keep their original bytes. */
const rawSource = Symbol('raw JSON source');

type WithSource = Record<PropertyKey, unknown> & { [rawSource]?: RawJson };

/**
 * Parses an API request body. Every object inside remembers, lazily, where its text is, so
 * `rawMember` can hand payloads (`data`, `info`) on byte for byte, as Centrifugo does: no precision loss for
 * large integers and no depth limit beyond the body size.
 */
export function parseApiJson(text: string): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    // An empty body is not JSON (HTTP 400, as in Centrifugo); `null` is an empty request.
    value = JSON.parse(text) ?? {};
  } catch {
    return { ok: false };
  }
  if (typeof value === 'object' && value !== null && text.length > 0) {
    Object.defineProperty(value, rawSource, { value: RawJson.of(text), enumerable: false });
  }
  return { ok: true, value };
}

/** Marks `child` (reached from `parent` by `path`) with its own position in the request text. */
export function inheritSource(parent: object, path: readonly (string | number)[], child: unknown): void {
  const source = (parent as WithSource)[rawSource];
  if (!source || typeof child !== 'object' || child === null) return;
  const located = source.at(path);
  if (located) Object.defineProperty(child, rawSource, { value: located, enumerable: false });
}

/**
 * Marks each object element of `parent[key]` (the array `elements`) with its position, scanning the array once:
 * locating element i from the root each time would make a batch of n commands cost n² scans.
 */
export function inheritElementSources(parent: object, key: string, elements: readonly unknown[]): void {
  const located = (parent as WithSource)[rawSource]?.at([key])?.elements();
  if (!located || located.length !== elements.length) return;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (typeof element === 'object' && element !== null) {
      Object.defineProperty(element, rawSource, { value: located[i], enumerable: false });
    }
  }
}

/** The raw JSON bytes of `object[key]` when the object came from a request body, else null. */
export function rawMember(object: object, key: string): Uint8Array | null {
  return (object as WithSource)[rawSource]?.at([key])?.bytes() ?? null;
}

/**
 * Encodes an API answer. Bytes fields hold JSON text and are embedded verbatim (never re-parsed, so deep or
 * large-integer payloads survive); bytes that are not JSON text become base64 strings.
 */
export function encodeApiJson(value: unknown): string {
  const raws: string[] = [];
  // The replacer sees Buffers after their toJSON(), so it looks at the holder's original value.
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const original = this[key];
    if (!(original instanceof Uint8Array)) return current;
    const text = Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('utf8');
    if (!looksLikeJson(text)) return Buffer.from(original).toString('base64');
    raws.push(text);
    return `\u0000raw${raws.length - 1}`;
  });
  if (raws.length === 0) return json;
  return json.replace(/"\\u0000raw(\d+)"/g, (_match, index: string) => raws[Number(index)]!);
}

/** Cheap check that stored bytes are a JSON text (payloads were validated as JSON when they came in). */
function looksLikeJson(text: string): boolean {
  if (text.length === 0) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

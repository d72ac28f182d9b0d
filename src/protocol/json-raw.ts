// Locates a member's raw JSON text inside an already validated JSON document, without recursion. Payload fields
// (`data`, `info`) are passed on as their original bytes, as Centrifugo does: re-serialising a parsed value
// would lose integer precision beyond 2^53 and fail on deeply nested (but legal) documents, because
// JSON.stringify recurses while JSON.parse does not.
//
// The scan runs over the document's UTF-8 bytes, not its string: every structural character is ASCII, and a
// typed array reads the same way whatever the string's internal representation (sliced, two-byte, internalised),
// where `charCodeAt` on strings of many kinds left V8 with a generic property lookup per character.

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  while (i < length && isSpace(bytes[i]!)) i++;
  return i;
}

/** Index just past the string starting at `i` (an opening quote); a backslash always escapes the next byte. */
function skipString(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  for (let j = i + 1; j < length; j++) {
    const c = bytes[j]!;
    if (c === 0x22) return j + 1;
    if (c === 0x5c) j++;
  }
  return length;
}

/** Index just past the value starting at `i` (no leading whitespace). */
function skipValue(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  const c = bytes[i];
  if (c === 0x22) return skipString(bytes, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < length; j++) {
      const d = bytes[j]!;
      if (d === 0x22) j = skipString(bytes, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return length;
  }
  let j = i;
  while (j < length) {
    const d = bytes[j]!;
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    j++;
  }
  return j;
}

/** End of the value found by the last `memberStart` (a scratch slot, so the hot path allocates nothing). */
let foundEnd = -1;

/**
 * Whether the key bytes in [from, to) name `key` (ASCII, no backslash). Equal lengths compare in place; longer
 * key text can still name it through escapes (`"d\u0061ta"`), so only then is it decoded.
 */
function keyNames(bytes: Uint8Array, from: number, to: number, key: string): boolean {
  const length = to - from;
  if (length === key.length) {
    for (let k = 0; k < length; k++) if (bytes[from + k] !== key.charCodeAt(k)) return false;
    return true;
  }
  if (length < key.length) return false;
  let escaped = false;
  for (let k = from; k < to && !escaped; k++) escaped = bytes[k] === 0x5c;
  return escaped && JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + from - 1, length + 2).toString('utf8')) === key;
}

/**
 * Start of the member `key`'s value in the object at `i` (the last one, as JSON.parse keeps), or -1; its end is
 * left in `foundEnd`.
 */
function memberStart(bytes: Uint8Array, i: number, key: string): number {
  foundEnd = -1;
  if (bytes[i] !== 0x7b) return -1;
  const length = bytes.length;
  let found = -1;
  let end = -1;
  let j = skipSpace(bytes, i + 1);
  while (j < length && bytes[j] === 0x22) {
    const keyEnd = skipString(bytes, j);
    const named = keyNames(bytes, j + 1, keyEnd - 1, key);
    const valueStart = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1); // past the colon
    const valueEnd = skipValue(bytes, valueStart);
    if (named) {
      found = valueStart;
      end = valueEnd;
    }
    j = skipSpace(bytes, valueEnd);
    if (bytes[j] !== 0x2c) break;
    j = skipSpace(bytes, j + 1);
  }
  foundEnd = end;
  return found;
}

/** Start of element `index` of the array at `i`, or -1. */
function elementStart(bytes: Uint8Array, i: number, index: number): number {
  if (bytes[i] !== 0x5b) return -1;
  const length = bytes.length;
  let j = skipSpace(bytes, i + 1);
  for (let n = 0; j < length && bytes[j] !== 0x5d; n++) {
    if (n === index) return j;
    j = skipSpace(bytes, skipValue(bytes, j));
    if (bytes[j] !== 0x2c) return -1;
    j = skipSpace(bytes, j + 1);
  }
  return -1;
}

/** A JSON document (already accepted by JSON.parse) and the position of one value in it. */
export class RawJson {
  private constructor(
    private readonly doc: Buffer,
    private readonly start: number,
    /** Where the value ends, when the scan that found it already knew (-1: not yet known). */
    private end: number,
  ) {}

  /** The document's root value; `text` must be valid JSON. */
  static of(text: string): RawJson {
    const doc = Buffer.from(text, 'utf8');
    return new RawJson(doc, skipSpace(doc, 0), -1);
  }

  /** The value at `path` (object keys and array indexes, ASCII without backslashes) below this one, or null. */
  at(path: readonly (string | number)[]): RawJson | null {
    let i = this.start;
    let end = this.end;
    for (const step of path) {
      if (typeof step === 'number') {
        i = elementStart(this.doc, i, step);
        end = -1;
      } else {
        i = memberStart(this.doc, i, step);
        end = foundEnd;
      }
      if (i < 0) return null;
    }
    return new RawJson(this.doc, i, end);
  }

  /** Every element of the array this value is, in one pass (an empty list when it is not an array). */
  elements(): RawJson[] {
    const doc = this.doc;
    const out: RawJson[] = [];
    if (doc[this.start] !== 0x5b) return out;
    const length = doc.length;
    let j = skipSpace(doc, this.start + 1);
    while (j < length && doc[j] !== 0x5d) {
      const end = skipValue(doc, j);
      out.push(new RawJson(doc, j, end));
      j = skipSpace(doc, end);
      if (doc[j] !== 0x2c) break;
      j = skipSpace(doc, j + 1);
    }
    return out;
  }

  /** The value's JSON text as UTF-8 bytes, exactly as sent (a copy: it may outlive the document, e.g. in history). */
  bytes(): Buffer {
    if (this.end < 0) this.end = skipValue(this.doc, this.start);
    return Buffer.from(this.doc.subarray(this.start, this.end));
  }
}

// Locates a member's raw JSON text inside an already validated JSON document, without recursion. Payload fields
// (`data`, `info`) are passed on as their original bytes, as Centrifugo does: re-serialising a parsed value
// would lose integer precision beyond 2^53 and fail on deeply nested (but legal) documents, because
// JSON.stringify recurses while JSON.parse does not.

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string starting at `i` (an opening quote). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; ; ) {
    const quote = text.indexOf('"', j);
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let k = quote - 1; k > i && text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    j = quote + 1;
  }
}

/** Index just past the value starting at `i` (no leading whitespace). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) j = skipString(text, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    j++;
  }
  return j;
}

/** Start of the member `key`'s value in the object at `i` (the last one, as JSON.parse keeps), or -1. */
function memberStart(text: string, i: number, key: string): number {
  if (text.charCodeAt(i) !== 0x7b) return -1;
  let found = -1;
  let j = skipSpace(text, i + 1);
  while (j < text.length && text.charCodeAt(j) === 0x22) {
    const keyEnd = skipString(text, j);
    const rawKey = text.slice(j + 1, keyEnd - 1);
    const name = rawKey.includes('\\') ? (JSON.parse(text.slice(j, keyEnd)) as string) : rawKey;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    if (name === key) found = valueStart;
    j = skipSpace(text, skipValue(text, valueStart));
    if (text.charCodeAt(j) !== 0x2c) break;
    j = skipSpace(text, j + 1);
  }
  return found;
}

/** Start of element `index` of the array at `i`, or -1. */
function elementStart(text: string, i: number, index: number): number {
  if (text.charCodeAt(i) !== 0x5b) return -1;
  let j = skipSpace(text, i + 1);
  for (let n = 0; j < text.length && text.charCodeAt(j) !== 0x5d; n++) {
    if (n === index) return j;
    j = skipSpace(text, skipValue(text, j));
    if (text.charCodeAt(j) !== 0x2c) return -1;
    j = skipSpace(text, j + 1);
  }
  return -1;
}

/** A JSON document (already accepted by JSON.parse) and the position of one value in it. */
export class RawJson {
  private constructor(
    private readonly text: string,
    private readonly start: number,
  ) {}

  /** The document's root value; `text` must be valid JSON. */
  static of(text: string): RawJson {
    return new RawJson(text, skipSpace(text, 0));
  }

  /** The value at `path` (object keys and array indexes) below this one, or null when it is not there. */
  at(path: readonly (string | number)[]): RawJson | null {
    let i = this.start;
    for (const step of path) {
      i = typeof step === 'number' ? elementStart(this.text, i, step) : memberStart(this.text, i, step);
      if (i < 0) return null;
    }
    return new RawJson(this.text, i);
  }

  /** Every element of the array this value is, in one pass (an empty list when it is not an array). */
  elements(): RawJson[] {
    const text = this.text;
    const out: RawJson[] = [];
    if (text.charCodeAt(this.start) !== 0x5b) return out;
    let j = skipSpace(text, this.start + 1);
    while (j < text.length && text.charCodeAt(j) !== 0x5d) {
      out.push(new RawJson(text, j));
      j = skipSpace(text, skipValue(text, j));
      if (text.charCodeAt(j) !== 0x2c) break;
      j = skipSpace(text, j + 1);
    }
    return out;
  }

  /** The value's JSON text, exactly as sent. */
  source(): string {
    return this.text.slice(this.start, skipValue(this.text, this.start));
  }
}

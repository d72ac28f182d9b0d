import { RawJson } from '../protocol/json-raw.js';
import { ProxyCallError } from './proxy-call-error.js';

// Reads a backend's answer field by field with Go's encoding/json rules, which Centrifugo decodes HTTP answers
// with: an absent key or `null` leaves the field unset, a value of the wrong type fails the whole answer, unknown
// keys are ignored, and payload fields (`data`, `info`, `meta`) keep their JSON text byte for byte. The same reader
// walks a decoded gRPC message (load-proto.ts shapes: Buffers for bytes, decimal strings for 64-bit integers).

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

export class AnswerReader {
  private constructor(
    private readonly fields: Fields,
    private readonly path: string,
    /** JSON answers: where this object sits in the answer's text, for payload fields. */
    private readonly raw: RawJson | null,
    private readonly grpc: boolean,
  ) {}

  /** An HTTP answer body. Not JSON, or JSON that is not an object, fails; `null` is an empty answer (as in Go). */
  static json(text: string): AnswerReader {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new ProxyCallError('malformed', `answer is not valid JSON (${(cause as Error).message})`, { cause });
    }
    if (value === null) return new AnswerReader({}, '', null, false);
    if (!isFields(value)) throw new ProxyCallError('malformed', 'answer must be a JSON object');
    return new AnswerReader(value, '', RawJson.of(text), false);
  }

  /** A decoded gRPC response message. */
  static grpc(message: object): AnswerReader {
    return new AnswerReader(message as Fields, '', null, true);
  }

  /** A synthetic answer (e.g. an HTTP status turned into an error by `status_to_code_transforms`). */
  static of(fields: Fields): AnswerReader {
    return new AnswerReader(fields, '', null, false);
  }

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  private wrongType(key: string, expected: string): never {
    throw new ProxyCallError('malformed', `answer field ${this.at(key)} must be ${expected}`);
  }

  private value(key: string): unknown {
    const value = this.fields[key];
    return value === null ? undefined : value;
  }

  /** A nested message; absent or null is undefined. */
  message(key: string): AnswerReader | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!isFields(value)) this.wrongType(key, 'an object');
    return new AnswerReader(value, this.at(key), this.raw?.at([key]) ?? null, this.grpc);
  }

  string(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.wrongType(key, 'a string');
    return value;
  }

  bool(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.wrongType(key, 'a boolean');
    return value;
  }

  /** An integer within [min, max]; gRPC 64-bit integers arrive as decimal strings. */
  integer(key: string, min: number, max: number): number | undefined {
    let value = this.value(key);
    if (value === undefined) return undefined;
    if (this.grpc && typeof value === 'string' && /^-?\d+$/.test(value)) value = Number(value);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.wrongType(key, `an integer in [${min}, ${max}]`);
    }
    return value;
  }

  /**
   * A payload: in JSON answers any JSON value, kept as its text; in gRPC answers the bytes (empty = unset, as
   * proto3 cannot tell them apart).
   */
  bytes(key: string): Uint8Array | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (value instanceof Uint8Array) return value.length > 0 ? value : undefined;
    if (this.grpc) this.wrongType(key, 'bytes');
    const located = this.raw?.at([key]);
    return located ? located.bytes() : Buffer.from(JSON.stringify(value));
  }

  strings(key: string): string[] | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) this.wrongType(key, 'an array of strings');
    return value as string[];
  }

  /** A map of strings (tags, labels); null prototype so any key stays an ordinary entry. */
  stringMap(key: string): Record<string, string> | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!isFields(value)) this.wrongType(key, 'an object of strings');
    const out = Object.create(null) as Record<string, string>;
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== 'string') this.wrongType(`${key}.${name}`, 'a string');
      out[name] = item;
    }
    return out;
  }

  /** A map of messages (connect result `subs`), as [key, reader] pairs; null entries are skipped. */
  messageMap(key: string): Array<[string, AnswerReader]> | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!isFields(value)) this.wrongType(key, 'an object');
    const raw = this.raw?.at([key]) ?? null;
    const out: Array<[string, AnswerReader]> = [];
    for (const [name, item] of Object.entries(value)) {
      if (item === null) continue;
      if (!isFields(item)) this.wrongType(`${key}.${name}`, 'an object');
      out.push([name, new AnswerReader(item, `${this.at(key)}.${name}`, raw?.at([name]) ?? null, this.grpc)]);
    }
    return out;
  }
}

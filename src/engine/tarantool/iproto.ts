import { createHash } from 'node:crypto';
import { Decoder, Encoder } from '@msgpack/msgpack';

// Tarantool's binary protocol (IPROTO) as far as the engine needs it: the greeting, CHAP-SHA1 authentication,
// CALL / EVAL / PING requests, responses and out-of-band pushes (box.session.push), each a msgpack size followed
// by a header map and a body map with integer keys.

export const RequestType = { call: 0x0a, eval: 0x08, auth: 0x07, ping: 0x40 } as const;
/** A response chunk sent by box.session.push before the request's own response (same sync). */
export const pushChunk = 0x80;
const errorFlag = 0x8000;

const Key = {
  requestType: 0x00,
  sync: 0x01,
  tuple: 0x21,
  functionName: 0x22,
  userName: 0x23,
  expr: 0x27,
  data: 0x30,
  error24: 0x31,
  error: 0x52,
} as const;

/** Largest frame accepted from a server; anything bigger is a protocol error that closes the connection. */
export const maxFrameBytes = 64 * 1024 * 1024;
export const greetingBytes = 128;

/** The server broke the protocol (bad greeting, a frame that does not parse): the connection is closed. */
export class IprotoProtocolError extends Error {
  readonly code = 'TARANTOOL_PROTOCOL';
}

/** The server answered a request with an error (a Lua error, missing privileges, …). */
export class TarantoolServerError extends Error {
  readonly code = 'TARANTOOL_ERROR';
  constructor(
    message: string,
    readonly errorCode: number,
  ) {
    super(message);
    this.name = 'TarantoolServerError';
  }
}

const encoder = new Encoder({ ignoreUndefined: true });
// Strings stay bytes: publications travel as msgpack strings holding protobuf (Tarantool's string fields).
const decoder = new Decoder({ rawStrings: true, maxStrLength: maxFrameBytes, maxBinLength: maxFrameBytes });

/** A msgpack string (decoded as bytes) or binary as text; undefined when the value is neither. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return undefined;
}

/** A msgpack map with small integer keys (IPROTO's header and body), which the encoder cannot write from a Map. */
function encodeIntMap(map: Map<number, unknown>): Buffer {
  const parts: Uint8Array[] = [Uint8Array.of(0x80 | map.size)];
  for (const [key, value] of map) parts.push(Uint8Array.of(key), encoder.encode(value));
  return Buffer.concat(parts);
}

/** One request frame: size (uint32), header {type, sync}, body. */
export function encodeRequest(type: number, sync: number, body: Map<number, unknown>): Buffer {
  const header = encodeIntMap(new Map<number, unknown>([[Key.requestType, type], [Key.sync, sync]]));
  const payload = encodeIntMap(body);
  const frame = Buffer.allocUnsafe(5 + header.length + payload.length);
  frame[0] = 0xce;
  frame.writeUInt32BE(header.length + payload.length, 1);
  frame.set(header, 5);
  frame.set(payload, 5 + header.length);
  return frame;
}

export function callBody(name: string, args: readonly unknown[]): Map<number, unknown> {
  return new Map<number, unknown>([[Key.functionName, name], [Key.tuple, args]]);
}

export function evalBody(expr: string, args: readonly unknown[]): Map<number, unknown> {
  return new Map<number, unknown>([[Key.expr, expr], [Key.tuple, args]]);
}

/** Greeting: line 1 `Tarantool <version> (Binary) <uuid>`, line 2 the base64 salt for authentication. */
export function parseGreeting(greeting: Buffer): { version: string; salt: Buffer } {
  const first = greeting.toString('latin1', 0, 64);
  const match = /^Tarantool ([^ ]+) \(Binary\)/.exec(first);
  if (!match) throw new IprotoProtocolError('the server is not Tarantool (no binary protocol greeting)');
  const salt = Buffer.from(greeting.toString('latin1', 64, 128).trim(), 'base64');
  if (salt.length < 20) throw new IprotoProtocolError('the Tarantool greeting carries no salt');
  return { version: match[1]!, salt };
}

const sha1 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** CHAP-SHA1: sha1(password) XOR sha1(salt[0..20] + sha1(sha1(password))). */
export function authBody(user: string, password: string, salt: Buffer): Map<number, unknown> {
  const step1 = sha1(Buffer.from(password, 'utf8'));
  const step2 = sha1(step1);
  const step3 = sha1(salt.subarray(0, 20), step2);
  const scramble = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) scramble[i] = step1[i]! ^ step3[i]!;
  return new Map<number, unknown>([[Key.userName, user], [Key.tuple, ['chap-sha1', scramble]]]);
}

export interface Response {
  /** 0 = OK, `pushChunk` = a push, otherwise an error response. */
  type: number;
  sync: number;
  /** IPROTO_DATA of an OK response or a push (an array). */
  data: unknown[];
  error: TarantoolServerError | undefined;
}

function field(map: unknown, key: number): unknown {
  if (map instanceof Map) return map.get(key);
  // Only a decoded map counts: arrays and byte strings are objects too, indexable by number.
  if (map !== null && typeof map === 'object' && Object.getPrototypeOf(map) === Object.prototype) {
    return Object.hasOwn(map, key) ? (map as Record<string, unknown>)[String(key)] : undefined;
  }
  return undefined;
}

/** Decodes one frame's payload (header map + body map). */
export function decodeResponse(payload: Uint8Array): Response {
  let parts: unknown[];
  try {
    parts = [...decoder.decodeMulti(payload)];
  } catch (err) {
    throw new IprotoProtocolError(`a Tarantool response does not parse: ${(err as Error).message}`);
  }
  const [header, body] = parts;
  const type = field(header, Key.requestType);
  const sync = field(header, Key.sync);
  if (typeof type !== 'number' || typeof sync !== 'number') {
    throw new IprotoProtocolError('a Tarantool response without request type or sync');
  }
  if (type === 0 || type === pushChunk) {
    const data = field(body, Key.data);
    return { type, sync, data: Array.isArray(data) ? data : [], error: undefined };
  }
  if ((type & errorFlag) === 0) throw new IprotoProtocolError(`unexpected Tarantool response type ${type}`);
  const text = textOf(field(body, Key.error24)) ?? 'Tarantool error';
  return { type, sync, data: [], error: new TarantoolServerError(text, type & ~errorFlag) };
}

/**
 * Cuts a byte stream into frames. Each frame starts with its size as a msgpack uint32 (0xce + 4 bytes, the
 * only form Tarantool writes); anything else, or a size above `maxFrameBytes`, is a protocol error.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      const header = readSize(this.buffer);
      if (!header) break;
      const [size, start] = header;
      if (this.buffer.length < start + size) break;
      frames.push(this.buffer.subarray(start, start + size));
      this.buffer = this.buffer.subarray(start + size);
    }
    return frames;
  }
}

function readSize(buffer: Buffer): [number, number] | undefined {
  if (buffer.length === 0) return undefined;
  // Tarantool always writes the size as a msgpack uint32 (0xce + 4 bytes).
  if (buffer[0] !== 0xce) throw new IprotoProtocolError(`a Tarantool frame starts with 0x${buffer[0]!.toString(16)}, not a size`);
  if (buffer.length < 5) return undefined;
  const size = buffer.readUInt32BE(1);
  if (size > maxFrameBytes) throw new IprotoProtocolError(`a Tarantool frame of ${size} bytes exceeds the limit`);
  return [size, 5];
}

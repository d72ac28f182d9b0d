import { fileURLToPath } from 'node:url';
import { Centrifuge as CentrifugeJson } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import protobuf from 'protobufjs';

// Independent implementations the hand-written codecs are checked against: protobufjs reflection over our own
// client.proto, and the codecs inside the official `centrifuge` SDK (the ones it uses on the wire).

const protoPath = fileURLToPath(new URL('../../../../src/protocol/client.proto', import.meta.url));

export interface ReflectionOracle {
  Command: protobuf.Type;
  Reply: protobuf.Type;
}

export function loadReflection(): ReflectionOracle {
  const root = new protobuf.Root().loadSync(protoPath, { keepCase: true });
  return {
    Command: root.lookupType('ringcast.protocol.Command'),
    Reply: root.lookupType('ringcast.protocol.Reply'),
  };
}

/** Encodes length-delimited messages with reflection, like a protobuf client frame. */
export function reflectionFrame(type: protobuf.Type, messages: readonly object[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const m of messages) type.encodeDelimited(type.fromObject(m), w);
  return w.finish();
}

export function reflectionDecodeAll(type: protobuf.Type, frame: Uint8Array): Record<string, unknown>[] {
  const r = protobuf.Reader.create(frame);
  const out: Record<string, unknown>[] = [];
  while (r.pos < r.len) out.push(type.toObject(type.decodeDelimited(r), { longs: Number }));
  return out;
}

/** The SDK's internal codec (encodeCommands / decodeReplies / encodeReplies / decodeCommands). */
export interface SdkCodec {
  name(): string;
  encodeCommands(commands: unknown[]): Uint8Array | string;
  decodeReplies(data: Uint8Array | string): Record<string, unknown>[];
  encodeReplies?(replies: unknown[]): Uint8Array;
  decodeCommands?(data: Uint8Array): Record<string, unknown>[];
}

function codecOf(client: object): SdkCodec {
  const codec = (client as { _codec?: SdkCodec })._codec;
  if (!codec) throw new Error('the centrifuge SDK no longer keeps its codec in _codec: update this oracle');
  return codec;
}

/** Constructing a client does not connect, so no server is needed. */
export function sdkProtobufCodec(): SdkCodec {
  return codecOf(new CentrifugeProtobuf('ws://127.0.0.1:9/connection/websocket', {}));
}

export function sdkJsonCodec(): SdkCodec {
  return codecOf(new CentrifugeJson('ws://127.0.0.1:9/connection/websocket', {}));
}

function isLong(v: object): v is { low: number; high: number; unsigned: boolean } {
  const o = v as { low?: unknown; high?: unknown; unsigned?: unknown };
  return typeof o.low === 'number' && typeof o.high === 'number' && typeof o.unsigned === 'boolean';
}

const mapKeys = new Set(['subs', 'tags', 'headers']);

/**
 * Reduces a message (our model, a reflection toObject, an SDK-decoded instance, or parsed JSON) to what the
 * wire can tell apart in protobuf: zero values, empty bytes, empty repeated fields and empty maps vanish;
 * Longs become numbers; bytes become plain Uint8Arrays. Present but empty messages stay `{}`.
 */
export function normalize(v: unknown, key = '', parentKey = ''): unknown {
  if (v === null || v === undefined || v === 0 || v === '' || v === false) return undefined;
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.length === 0 ? undefined : new Uint8Array(v);
  if (isLong(v)) {
    const n = v.unsigned ? (v.high >>> 0) * 2 ** 32 + (v.low >>> 0) : v.high * 2 ** 32 + (v.low >>> 0);
    return n === 0 ? undefined : n;
  }
  if (Array.isArray(v)) {
    const items = v.map((item) => normalize(item, '', key) ?? {});
    return items.length === 0 ? undefined : items;
  }
  const isMap = mapKeys.has(key) || (key === 'presence' && parentKey === 'presence');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const value = (v as Record<string, unknown>)[k];
    const n = normalize(value, k, key);
    // Map values keep their entry even when they are empty messages or zero strings.
    if (n !== undefined) out[k] = n;
    else if (isMap) out[k] = typeof value === 'string' ? '' : {};
  }
  if (isMap && Object.keys(out).length === 0) return undefined;
  return out;
}

/** Our model with Bytes replaced by the JSON values they hold: what a JSON client sees after JSON.parse. */
export function jsonView(v: unknown): unknown {
  if (v instanceof Uint8Array) return v.length === 0 ? undefined : JSON.parse(Buffer.from(v).toString('utf8'));
  if (Array.isArray(v)) return v.map(jsonView);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(v)) out[k] = jsonView(value);
    return out;
  }
  return v;
}

/** UTF-8 bytes as a Buffer, the Uint8Array subclass both decoders produce (toEqual tells the two apart). */
export const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

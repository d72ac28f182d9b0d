/**
 * The framing of messages on a channel's PUB/SUB channel (Centrifugo's Redis engine):
 * - a bare protobuf Publication: published without history;
 * - `__p1:<offset>:<epoch>__<Publication>`: published with history, at that stream position;
 * - `__d1:<offset>:<epoch>:<prev length>:<prev Publication>:<length>:<Publication>`: with history and delta,
 *   carrying the stream's previous publication (lengths in bytes; prev may be empty);
 * - `__j__<ClientInfo>` / `__l__<ClientInfo>`: join / leave.
 * Parsing works on the bytes and returns views into them.
 */

export const enum PubSubKind {
  Publication = 0,
  Join = 1,
  Leave = 2,
}

export interface PubSubMessage {
  kind: PubSubKind;
  /** Stream position from the frame header (0 / '' without history). */
  offset: number;
  epoch: string;
  /** The protobuf Publication or ClientInfo. */
  payload: Uint8Array;
  /** `__d1:` frames: the previous publication (empty when the stream had none). */
  prevPayload: Uint8Array | undefined;
  /** A `__d1:` frame. */
  delta: boolean;
}

export class PubSubFrameError extends Error {
  readonly code = 'REDIS_PUBSUB_FRAME';
}

const underscore = 0x5f;
const colon = 0x3a;

const joinPrefix = Buffer.from('__j__');
const leavePrefix = Buffer.from('__l__');

export function joinFrame(info: Uint8Array): Buffer {
  return Buffer.concat([joinPrefix, info]);
}

export function leaveFrame(info: Uint8Array): Buffer {
  return Buffer.concat([leavePrefix, info]);
}

/** Index of the next `__` at or after `from`, or -1. */
function indexOfSeparator(data: Buffer, from: number): number {
  for (let i = from; i + 1 < data.length; i++) {
    if (data[i] === underscore && data[i + 1] === underscore) return i;
  }
  return -1;
}

/** Reads a decimal number that ends at the next ':' (returns its value and the index after the ':'). */
function readNumber(data: Buffer, from: number, what: string): [number, number] {
  let value = 0;
  let i = from;
  for (; i < data.length && data[i] !== colon; i++) {
    const digit = data[i]! - 48;
    if (digit < 0 || digit > 9) throw new PubSubFrameError(`bad ${what} in PUB/SUB frame`);
    value = value * 10 + digit;
  }
  if (i === from || i >= data.length) throw new PubSubFrameError(`missing ${what} in PUB/SUB frame`);
  return [value, i + 1];
}

function readEpoch(data: Buffer, from: number, end: number): [string, number] {
  let i = from;
  while (i < end && data[i] !== colon) i++;
  return [data.toString('latin1', from, i), i];
}

function message(kind: PubSubKind, payload: Uint8Array, offset = 0, epoch = ''): PubSubMessage {
  return { kind, offset, epoch, payload, prevPayload: undefined, delta: false };
}

export function parsePubSubMessage(data: Buffer): PubSubMessage {
  if (data.length < 2 || data[0] !== underscore || data[1] !== underscore) {
    return message(PubSubKind.Publication, data);
  }
  const type = data[2];
  if (type === 0x6a /* j */ || type === 0x6c /* l */) {
    if (data[3] !== underscore || data[4] !== underscore) throw new PubSubFrameError('bad join/leave PUB/SUB frame');
    return message(type === 0x6a ? PubSubKind.Join : PubSubKind.Leave, data.subarray(5));
  }
  if (type === 0x70 /* p */) {
    if (data[3] !== 0x31 || data[4] !== colon) throw new PubSubFrameError('unknown publication frame version');
    const end = indexOfSeparator(data, 5);
    if (end < 0) throw new PubSubFrameError('unterminated publication frame header');
    const [offset, epochStart] = readNumber(data, 5, 'offset');
    if (epochStart > end) throw new PubSubFrameError('missing epoch in PUB/SUB frame');
    return message(PubSubKind.Publication, data.subarray(end + 2), offset, data.toString('latin1', epochStart, end));
  }
  if (type === 0x64 /* d */) {
    if (data[3] !== 0x31 || data[4] !== colon) throw new PubSubFrameError('unknown delta frame version');
    const [offset, epochStart] = readNumber(data, 5, 'offset');
    const [epoch, epochEnd] = readEpoch(data, epochStart, data.length);
    const [prevLength, prevStart] = readNumber(data, epochEnd + 1, 'previous length');
    const prevEnd = prevStart + prevLength;
    if (prevEnd >= data.length || data[prevEnd] !== colon) throw new PubSubFrameError('bad previous publication length');
    const [length, start] = readNumber(data, prevEnd + 1, 'length');
    if (start + length > data.length) throw new PubSubFrameError('publication shorter than its length');
    const parsed = message(PubSubKind.Publication, data.subarray(start, start + length), offset, epoch);
    parsed.delta = true;
    parsed.prevPayload = data.subarray(prevStart, prevEnd);
    return parsed;
  }
  throw new PubSubFrameError('unknown PUB/SUB frame type');
}

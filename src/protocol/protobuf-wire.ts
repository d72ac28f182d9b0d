import protobuf from 'protobufjs/minimal.js';
import type { Long, Reader } from 'protobufjs/minimal.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';

// Low-level reading helpers on top of protobufjs's Reader. The Reader reads varints and tracks the position;
// everything that depends on a length prefix is checked here against the end of the enclosing message, so a
// prefix larger than what remains is a ProtocolDecodeError instead of a silent truncation (BufferReader's
// string() clamps) or a read into the parent message.

export const { Reader: ReaderClass, Writer: WriterClass } = protobuf;

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const maxGroupDepth = 32;
const two32 = 4294967296;

export function malformed(message: string): never {
  throw new ProtocolDecodeError(`malformed protobuf message: ${message}`);
}

/** A Reader over the frame's memory (no copy), as a BufferReader so strings decode natively. */
export function readerFor(frame: Uint8Array): Reader {
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  return ReaderClass.create(buf);
}

/** Reads a length prefix and returns where the delimited value ends; it must end within `limit`. */
export function delimitedEnd(r: Reader, limit: number): number {
  const length = r.uint32();
  if (r.pos > limit || length > limit - r.pos) {
    malformed(`length ${length} at offset ${r.pos} exceeds the enclosing message`);
  }
  return r.pos + length;
}

/** After a nested message: the last field must have ended exactly at the message's end. */
export function expectEnd(r: Reader, end: number): void {
  if (r.pos !== end) malformed(`field overruns its message at offset ${end}`);
}

export function readString(r: Reader, limit: number): string {
  const end = delimitedEnd(r, limit);
  const start = r.pos;
  r.pos = end;
  return start === end ? '' : (r.buf as Buffer).toString('utf8', start, end);
}

/** A view into the frame, not a copy: the frame must not be reused while decoded commands are alive. */
export function readBytes(r: Reader, limit: number): Uint8Array {
  const end = delimitedEnd(r, limit);
  const start = r.pos;
  r.pos = end;
  return r.buf.subarray(start, end);
}

export function readUint64(r: Reader): number {
  const v = r.uint64() as Long | number;
  return typeof v === 'number' ? v : (v.high >>> 0) * two32 + (v.low >>> 0);
}

export function readInt64(r: Reader): number {
  const v = r.int64() as Long | number;
  return typeof v === 'number' ? v : (v.high | 0) * two32 + (v.low >>> 0);
}

function skipBytes(r: Reader, n: number, limit: number): void {
  if (n > limit - r.pos) malformed(`fixed-size field beyond the end of its message at offset ${r.pos}`);
  r.pos += n;
}

/** Skips one field of an unknown number (or of a known number with an unexpected wire type). */
export function skipField(r: Reader, tag: number, limit: number): void {
  const wireType = tag & 7;
  switch (wireType) {
    case WIRE_VARINT:
      r.skip();
      break;
    case WIRE_FIXED64:
      skipBytes(r, 8, limit);
      break;
    case WIRE_LEN:
      r.pos = delimitedEnd(r, limit);
      break;
    case WIRE_FIXED32:
      skipBytes(r, 4, limit);
      break;
    case WIRE_START_GROUP:
      skipGroup(r, tag >>> 3, limit);
      break;
    default:
      malformed(`wire type ${wireType} of field ${tag >>> 3} at offset ${r.pos}`);
  }
}

/** Skips a (deprecated, proto2) group without recursion: tracks the open group numbers. */
function skipGroup(r: Reader, field: number, limit: number): void {
  const open = [field];
  while (open.length > 0) {
    if (r.pos >= limit) malformed('unterminated group');
    const tag = r.uint32();
    const wireType = tag & 7;
    if (wireType === WIRE_END_GROUP) {
      if (open.pop() !== tag >>> 3) malformed('mismatched end of group');
    } else if (wireType === WIRE_START_GROUP) {
      if (open.length >= maxGroupDepth) malformed('groups nested too deeply');
      open.push(tag >>> 3);
    } else {
      skipField(r, tag, limit);
    }
  }
}

/** Reads a field's tag; field number 0 is invalid in every message. */
export function readTag(r: Reader): number {
  const tag = r.uint32();
  if (tag >>> 3 === 0) malformed(`field number 0 at offset ${r.pos}`);
  return tag;
}

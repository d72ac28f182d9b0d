/**
 * The little of RFC 6455 a load generator needs: masked client frames out, unmasked server frames in.
 * Incoming bytes are parsed in place (no copy for frames that arrive whole in one read); only a frame
 * split across reads is copied into a carry-over buffer.
 */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Receives each complete frame's payload as a range of `data`, valid only during the call. */
export interface FrameSink {
  frame(opcode: number, data: Buffer, start: number, end: number): void;
  /** The server broke the framing rules (masked frame, oversized length); the connection should close. */
  protocolViolation(reason: string): void;
}

/** Encodes one final client frame with the given 4-byte mask. */
export function encodeClientFrame(opcode: number, payload: Buffer, mask: Buffer): Buffer {
  const len = payload.length;
  const headerLen = len < 126 ? 6 : len < 65536 ? 8 : 14;
  const out = Buffer.allocUnsafe(headerLen + len);
  out[0] = 0x80 | opcode;
  if (len < 126) {
    out[1] = 0x80 | len;
  } else if (len < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(len / 0x1_0000_0000), 2);
    out.writeUInt32BE(len >>> 0, 6);
  }
  const m0 = mask[0]!;
  const m1 = mask[1]!;
  const m2 = mask[2]!;
  const m3 = mask[3]!;
  out[headerLen - 4] = m0;
  out[headerLen - 3] = m1;
  out[headerLen - 2] = m2;
  out[headerLen - 1] = m3;
  for (let i = 0; i < len; i++) {
    const m = (i & 3) === 0 ? m0 : (i & 3) === 1 ? m1 : (i & 3) === 2 ? m2 : m3;
    out[headerLen + i] = payload[i]! ^ m;
  }
  return out;
}

/** The largest incoming frame accepted; a bench server never sends anything near this. */
const maxFrameBytes = 64 * 1024 * 1024;

/** Splits the server's byte stream into frames; keeps partial frames between `feed` calls. */
export class FrameReader {
  private carry: Buffer | null = null;
  /** Payload parts of a fragmented message, and its opcode. */
  private fragments: Buffer[] | null = null;
  private fragmentOpcode = 0;

  /** Bytes held from a partial frame (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.carry ? this.carry.length : 0;
  }

  feed(chunk: Buffer, start: number, end: number, sink: FrameSink): void {
    let data = chunk;
    let pos = start;
    let limit = end;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk.subarray(start, end)]);
      this.carry = null;
      pos = 0;
      limit = data.length;
    }
    while (limit - pos >= 2) {
      const b0 = data[pos]!;
      const b1 = data[pos + 1]!;
      if ((b1 & 0x80) !== 0) {
        sink.protocolViolation('server frame is masked');
        return;
      }
      let len = b1 & 0x7f;
      let header = 2;
      if (len === 126) {
        if (limit - pos < 4) break;
        len = data.readUInt16BE(pos + 2);
        header = 4;
      } else if (len === 127) {
        if (limit - pos < 10) break;
        len = data.readUInt32BE(pos + 2) * 0x1_0000_0000 + data.readUInt32BE(pos + 6);
        header = 10;
      }
      if (len > maxFrameBytes) {
        sink.protocolViolation(`frame of ${len} bytes is over the ${maxFrameBytes}-byte limit`);
        return;
      }
      if (limit - pos < header + len) break;
      const payloadStart = pos + header;
      const payloadEnd = payloadStart + len;
      pos = payloadEnd;
      this.deliver(b0, data, payloadStart, payloadEnd, sink);
    }
    if (pos < limit) this.carry = Buffer.from(data.subarray(pos, limit));
  }

  private deliver(b0: number, data: Buffer, start: number, end: number, sink: FrameSink): void {
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if (opcode >= 0x8) {
      sink.frame(opcode, data, start, end); // control frames are never fragmented
      return;
    }
    if (opcode !== Opcode.continuation && fin && !this.fragments) {
      sink.frame(opcode, data, start, end);
      return;
    }
    if (opcode !== Opcode.continuation) {
      this.fragments = [];
      this.fragmentOpcode = opcode;
    }
    if (!this.fragments) {
      sink.protocolViolation('continuation frame without a message');
      return;
    }
    this.fragments.push(Buffer.from(data.subarray(start, end)));
    if (!fin) return;
    const whole = Buffer.concat(this.fragments);
    this.fragments = null;
    sink.frame(this.fragmentOpcode, whole, 0, whole.length);
  }
}

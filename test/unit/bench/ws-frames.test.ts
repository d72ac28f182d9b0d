import { describe, expect, it } from 'vitest';
import { FrameReader, Opcode, encodeClientFrame, type FrameSink } from '../../../bench/ws-frames.js';

/** A server frame (unmasked). */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0, len]) : len < 65536 ? Buffer.from([0, 126, len >> 8, len & 255]) : Buffer.alloc(10);
  if (len >= 65536) {
    head[1] = 127;
    head.writeUInt32BE(0, 2);
    head.writeUInt32BE(len, 6);
  }
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

class Collect implements FrameSink {
  frames: { opcode: number; text: string }[] = [];
  violations: string[] = [];
  frame(opcode: number, data: Buffer, start: number, end: number): void {
    this.frames.push({ opcode, text: data.toString('utf8', start, end) });
  }
  protocolViolation(reason: string): void {
    this.violations.push(reason);
  }
}

describe('FrameReader', () => {
  it('splits several frames in one chunk', () => {
    const sink = new Collect();
    const chunk = Buffer.concat([serverFrame(Opcode.text, Buffer.from('{}')), serverFrame(Opcode.text, Buffer.from('{"a":1}'))]);
    new FrameReader().feed(chunk, 0, chunk.length, sink);
    expect(sink.frames).toEqual([
      { opcode: Opcode.text, text: '{}' },
      { opcode: Opcode.text, text: '{"a":1}' },
    ]);
  });

  it('reassembles frames split at every byte position, with 16- and 64-bit lengths', () => {
    const big = Buffer.from('x'.repeat(70_000));
    const mid = Buffer.from('y'.repeat(300));
    const stream = Buffer.concat([serverFrame(Opcode.text, mid), serverFrame(Opcode.binary, big), serverFrame(Opcode.text, Buffer.from('z'))]);
    for (const cut of [1, 2, 3, 4, 5, 150, 303, 304, 305, 306, 40_000, stream.length - 1]) {
      const sink = new Collect();
      const reader = new FrameReader();
      reader.feed(stream, 0, cut, sink);
      reader.feed(stream, cut, stream.length, sink);
      expect(sink.frames.map((f) => f.text.length)).toEqual([300, 70_000, 1]);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  it('joins a fragmented message and passes control frames in between', () => {
    const sink = new Collect();
    const chunk = Buffer.concat([
      serverFrame(Opcode.text, Buffer.from('hel'), false),
      serverFrame(Opcode.ping, Buffer.from('p')),
      serverFrame(Opcode.continuation, Buffer.from('lo')),
    ]);
    new FrameReader().feed(chunk, 0, chunk.length, sink);
    expect(sink.frames).toEqual([
      { opcode: Opcode.ping, text: 'p' },
      { opcode: Opcode.text, text: 'hello' },
    ]);
  });

  it('reports a masked server frame as a protocol violation', () => {
    const sink = new Collect();
    const frame = encodeClientFrame(Opcode.text, Buffer.from('hi'), Buffer.from([1, 2, 3, 4]));
    new FrameReader().feed(frame, 0, frame.length, sink);
    expect(sink.violations).toHaveLength(1);
    expect(sink.frames).toHaveLength(0);
  });
});

describe('encodeClientFrame', () => {
  it('masks the payload with the key and sets FIN, MASK and the length form', () => {
    const mask = Buffer.from([0x11, 0x22, 0x33, 0x44]);
    for (const len of [0, 5, 125, 126, 65_535, 65_536]) {
      const payload = Buffer.alloc(len, 0x61);
      const frame = encodeClientFrame(Opcode.text, payload, mask);
      expect(frame[0]).toBe(0x81);
      expect(frame[1]! & 0x80).toBe(0x80);
      const header = len < 126 ? 6 : len < 65_536 ? 8 : 14;
      expect(frame.length).toBe(header + len);
      const key = frame.subarray(header - 4, header);
      const unmasked = Buffer.from(frame.subarray(header).map((b, i) => b ^ key[i % 4]!));
      expect(unmasked.equals(payload)).toBe(true);
    }
  });
});

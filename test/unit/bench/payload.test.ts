import { describe, expect, it } from 'vitest';
import { PayloadScanner, paddingFor, publicationData, readDecimal, type ScanSink } from '../../../bench/payload.js';

class Stamps implements ScanSink {
  values: number[] = [];
  timestamp(timeUs: number): void {
    this.values.push(timeUs);
  }
}

const push = (t: number, seq: number): string =>
  `{"push":{"channel":"c","pub":{"data":${publicationData(t, seq, 'xx')},"offset":3}}}`;

describe('publicationData', () => {
  it('is valid JSON carrying the timestamp and sequence', () => {
    expect(JSON.parse(publicationData(1_700_000_000_123_456, 7, 'ab'))).toEqual({ bt: 1_700_000_000_123_456, s: 7, p: 'ab' });
  });

  it('pads to the requested size', () => {
    expect(publicationData(1_700_000_000_000_000, 1_000_000, paddingFor(200)).length).toBe(200);
    expect(paddingFor(1)).toBe('');
  });
});

describe('readDecimal', () => {
  it('reads digits up to the first non-digit or the end', () => {
    const b = Buffer.from('x1234567890123456,');
    expect(readDecimal(b, 1, b.length)).toBe(1_234_567_890_123_456);
    expect(readDecimal(b, 1, 4)).toBe(123);
    expect(readDecimal(b, 0, b.length)).toBe(-1);
  });
});

describe('PayloadScanner', () => {
  it('finds every timestamp in frames of one buffer, each once', () => {
    const a = push(1_000_001, 1);
    const b = `${push(1_000_002, 2)}\n${push(1_000_003, 3)}`;
    const data = Buffer.from(`\u0081~${a}\u0081~${b}`, 'latin1');
    const scanner = new PayloadScanner();
    const sink = new Stamps();
    const aStart = 2;
    const bStart = aStart + a.length + 2;
    expect(scanner.scan(data, aStart, aStart + a.length, sink)).toBe(false);
    expect(sink.values).toEqual([1_000_001]);
    expect(scanner.scan(data, bStart, bStart + b.length, sink)).toBe(false);
    expect(sink.values).toEqual([1_000_001, 1_000_002, 1_000_003]);
  });

  it('recognises a ping alone, first, last or in the middle of a joined frame', () => {
    const scanner = new PayloadScanner();
    const sink = new Stamps();
    for (const text of ['{}', `{}\n${push(5, 1)}`, `${push(5, 1)}\n{}`, `${push(5, 1)}\n{}\n${push(6, 2)}`]) {
      const data = Buffer.from(text);
      expect(scanner.scan(data, 0, data.length, sink)).toBe(true);
    }
  });

  it('does not mistake an empty object inside a message for a ping', () => {
    const scanner = new PayloadScanner();
    for (const text of ['{"id":2,"subscribe":{}}', '{}x', `${push(5, 1)}\n{}x`]) {
      const data = Buffer.from(text);
      expect(scanner.scan(data, 0, data.length, new Stamps())).toBe(false);
    }
  });

  it('ignores markers outside the given range', () => {
    const text = push(42, 1);
    const data = Buffer.from(text + text);
    const sink = new Stamps();
    new PayloadScanner().scan(data, text.length, data.length, sink);
    expect(sink.values).toEqual([42]);
  });
});

describe('PayloadScanner single-message fast path', () => {
  it('keeps finding timestamps when the marker moves (another channel name)', () => {
    const scanner = new PayloadScanner();
    const sink = new Stamps();
    const frames = [push(11, 1), push(12, 2), `{"push":{"channel":"longer-name","pub":{"data":${publicationData(13, 3, '')}}}}`, push(14, 4)];
    for (const f of frames) {
      const data = Buffer.from(f);
      scanner.scan(data, 0, data.length, sink);
    }
    expect(sink.values).toEqual([11, 12, 13, 14]);
  });

  it('counts nothing in a reply without a marker', () => {
    const scanner = new PayloadScanner();
    const sink = new Stamps();
    const first = Buffer.from(push(1, 1));
    scanner.scan(first, 0, first.length, sink);
    const reply = Buffer.from('{"id":3,"subscribe":{"epoch":"abc","offset":12345678901}}');
    scanner.scan(reply, 0, reply.length, sink);
    expect(sink.values).toEqual([1]);
  });
});

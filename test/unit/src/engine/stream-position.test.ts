import { describe, expect, it } from 'vitest';
import { followsPosition, isRecoverable, isStreamRecovered } from '../../../../src/engine/stream-position.js';
import type { Publication } from '../../../../src/protocol/client-protocol.js';

const at = (offset: number, epoch = 'abcd') => ({ offset, epoch });
const pubs = (...offsets: number[]): Publication[] => offsets.map((offset) => ({ data: new Uint8Array(), offset }));

describe('isRecoverable', () => {
  it('accepts a position behind the top of the same epoch within the limit', () => {
    expect(isRecoverable(at(3), at(5), 10)).toBe(true);
    expect(isRecoverable(at(5), at(5), 10)).toBe(true);
    expect(isRecoverable(at(0), at(10), 10)).toBe(true);
  });

  it('rejects another epoch, a position ahead of the top, or more missed than allowed', () => {
    expect(isRecoverable(at(3, 'old'), at(5), 10)).toBe(false);
    expect(isRecoverable(at(6), at(5), 10)).toBe(false);
    expect(isRecoverable(at(0), at(11), 10)).toBe(false);
  });

  it('treats 0 as no limit', () => {
    expect(isRecoverable(at(0), at(1_000_000), 0)).toBe(true);
  });
});

describe('isStreamRecovered', () => {
  it('is true when the publications run from since + 1 to the top', () => {
    expect(isStreamRecovered(at(2), pubs(3, 4, 5), at(5))).toBe(true);
  });

  it('is true with no publications only when the client is at the top', () => {
    expect(isStreamRecovered(at(5), [], at(5))).toBe(true);
    expect(isStreamRecovered(at(4), [], at(5))).toBe(false);
  });

  it('is false when the start was trimmed or expired', () => {
    expect(isStreamRecovered(at(1), pubs(3, 4, 5), at(5))).toBe(false);
  });

  it('is false when a limit cut the end', () => {
    expect(isStreamRecovered(at(2), pubs(3, 4), at(5))).toBe(false);
  });

  it('is false for another epoch even when offsets line up', () => {
    expect(isStreamRecovered(at(2, 'old'), pubs(3, 4, 5), at(5))).toBe(false);
    expect(isStreamRecovered(at(5, 'old'), [], at(5))).toBe(false);
  });
});

describe('followsPosition', () => {
  it('is true only for the next offset of the same epoch', () => {
    expect(followsPosition(at(4), at(5))).toBe(true);
    expect(followsPosition(at(4), at(6))).toBe(false);
    expect(followsPosition(at(4), at(4))).toBe(false);
    expect(followsPosition(at(4), at(5, 'new'))).toBe(false);
  });
});

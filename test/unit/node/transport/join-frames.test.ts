import { describe, expect, it } from 'vitest';
import { joinFrames } from '../../../../node/transport/join-frames.js';

describe('joinFrames', () => {
  it('joins JSON replies with newlines, at most maxPerMessage per message', () => {
    const frames = ['{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}', '{"a":5}'];
    expect(joinFrames(frames, false, 2)).toEqual(['{"a":1}\n{"a":2}', '{"a":3}\n{"a":4}', '{"a":5}']);
    expect(joinFrames(frames, false, 16)).toEqual([frames.join('\n')]);
  });

  it('concatenates protobuf replies, which carry their own length prefixes', () => {
    const frames = [Uint8Array.of(1, 7), Uint8Array.of(2, 8, 9), Uint8Array.of(1, 5)];
    expect(joinFrames(frames, true, 16).map((m) => [...(m as Uint8Array)])).toEqual([[1, 7, 2, 8, 9, 1, 5]]);
  });

  it('leaves single frames, a limit of 1 and frames of the other kind alone', () => {
    expect(joinFrames(['x'], false, 16)).toEqual(['x']);
    expect(joinFrames(['x', 'y'], false, 1)).toEqual(['x', 'y']);
    const odd = Uint8Array.of(3);
    expect(joinFrames(['x', 'y', odd, 'z'], false, 16)).toEqual(['x\ny', odd, 'z']);
  });
});

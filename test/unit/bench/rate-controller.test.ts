import { describe, expect, it } from 'vitest';
import { RateController, geometricRamp, roundRate } from '../../../bench/rate-controller.js';

describe('RateController', () => {
  it('hands out sends by schedule time, not by how often it is asked', () => {
    const rc = new RateController({ rate: 1000, startMs: 0 });
    expect(rc.due(0)).toBe(0);
    expect(rc.due(0.5)).toBe(0);
    expect(rc.due(1)).toBe(1);
    expect(rc.due(1)).toBe(0);
    expect(rc.due(10)).toBe(9);
    expect(rc.sent).toBe(10);
  });

  it('catches up after a stall (open loop) and reports the backlog and lag', () => {
    const rc = new RateController({ rate: 100, startMs: 1000 });
    expect(rc.backlog(1500)).toBe(50);
    expect(rc.lagMs(1500)).toBe(490);
    expect(rc.due(1500)).toBe(50);
    expect(rc.backlog(1500)).toBe(0);
    expect(rc.lagMs(1500)).toBe(0);
  });

  it('limits one answer to maxBurst and keeps the rest owed', () => {
    const rc = new RateController({ rate: 1000, startMs: 0, maxBurst: 10 });
    expect(rc.due(100)).toBe(10);
    expect(rc.backlog(100)).toBe(90);
    expect(rc.due(100)).toBe(10);
  });

  it('says how long an up-to-date caller may wait', () => {
    const rc = new RateController({ rate: 10, startMs: 0 });
    expect(rc.delayUntilNext(0)).toBe(100);
    expect(rc.delayUntilNext(40)).toBe(60);
    expect(rc.delayUntilNext(100)).toBe(0);
    rc.due(100);
    expect(rc.delayUntilNext(100)).toBe(100);
  });

  it('schedules send i at start + (i + 1) / rate', () => {
    const rc = new RateController({ rate: 4, startMs: 0 });
    expect(rc.scheduledAt(0)).toBe(250);
    expect(rc.scheduledAt(3)).toBe(1000);
  });

  it('keeps sends already due when the rate changes, and continues at the new rate', () => {
    const rc = new RateController({ rate: 100, startMs: 0 });
    rc.setRate(1000, 50); // 5 due at 50 ms under the old rate
    expect(rc.target(50)).toBe(5);
    expect(rc.target(60)).toBe(15);
    expect(rc.due(60)).toBe(15);
  });

  it('pauses at rate 0', () => {
    const rc = new RateController({ rate: 0, startMs: 0 });
    expect(rc.due(1e9)).toBe(0);
    expect(rc.delayUntilNext(5)).toBe(Number.POSITIVE_INFINITY);
  });

  it('can forget an owed backlog', () => {
    const rc = new RateController({ rate: 1000, startMs: 0 });
    expect(rc.skipBacklog(20)).toBe(20);
    expect(rc.due(20)).toBe(0);
    expect(rc.due(21)).toBe(1);
  });

  it('rejects negative or non-finite rates', () => {
    expect(() => new RateController({ rate: -1, startMs: 0 })).toThrow(RangeError);
    expect(() => new RateController({ rate: Number.NaN, startMs: 0 })).toThrow(RangeError);
    expect(() => new RateController({ rate: 1, startMs: 0 }).setRate(Infinity, 0)).toThrow(RangeError);
  });

  it('is exact over long runs (no drift from rounding)', () => {
    const rc = new RateController({ rate: 333, startMs: 0 });
    let total = 0;
    for (let t = 0; t <= 60_000; t += 7) total += rc.due(t);
    expect(total).toBe(rc.target(59_997));
    expect(rc.target(60_000)).toBe(19_980);
  });
});

describe('geometricRamp', () => {
  it('multiplies the rate by the factor up to the limit', () => {
    expect(geometricRamp(100, 1000, 2, 500).map((s) => s.rate)).toEqual([100, 200, 400, 800]);
    expect(geometricRamp(100, 800, 2, 500).map((s) => s.rate)).toEqual([100, 200, 400, 800]);
    expect(geometricRamp(1, 1, 2, 10)).toEqual([{ rate: 1, durationMs: 10 }]);
  });

  it('rejects ramps that would not grow', () => {
    expect(() => geometricRamp(10, 100, 1, 1)).toThrow(RangeError);
    expect(() => geometricRamp(0, 100, 2, 1)).toThrow(RangeError);
    expect(() => geometricRamp(100, 10, 2, 1)).toThrow(RangeError);
  });
});

describe('roundRate', () => {
  it('keeps three significant digits above 100 and two decimals below', () => {
    expect(roundRate(123_456)).toBe(123_000);
    expect(roundRate(1_999.6)).toBe(2_000);
    expect(roundRate(12.3456)).toBe(12.35);
  });
});

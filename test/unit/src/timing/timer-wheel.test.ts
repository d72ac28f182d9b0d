import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/timing/clock.js';
import { TimerWheel, type TimerTarget } from '../../../../src/timing/timer-wheel.js';

function recorder(clock: ManualClock): TimerTarget & { fired: Array<{ kind: number; at: number }> } {
  const fired: Array<{ kind: number; at: number }> = [];
  return { fired, onTimer: (kind) => fired.push({ kind, at: clock.now() }) };
}

function run(clock: ManualClock, wheel: TimerWheel, ms: number, step = 50): void {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    wheel.advance();
  }
}

describe('TimerWheel', () => {
  it('never fires early and at most one tick late', () => {
    const clock = new ManualClock(1_000_000);
    const wheel = new TimerWheel(clock, 100, 64);
    const target = recorder(clock);
    const start = clock.now();
    wheel.schedule(250, target, 1);
    wheel.schedule(1000, target, 2);
    run(clock, wheel, 1500);
    expect(target.fired.map((f) => f.kind)).toEqual([1, 2]);
    expect(target.fired[0]!.at - start).toBeGreaterThanOrEqual(250);
    expect(target.fired[0]!.at - start).toBeLessThanOrEqual(350);
    expect(target.fired[1]!.at - start).toBeGreaterThanOrEqual(1000);
    expect(target.fired[1]!.at - start).toBeLessThanOrEqual(1100);
    expect(wheel.pending).toBe(0);
  });

  it('handles delays longer than one revolution', () => {
    const clock = new ManualClock(0);
    const wheel = new TimerWheel(clock, 100, 8); // one revolution = 800 ms
    const target = recorder(clock);
    wheel.schedule(2_050, target, 7);
    run(clock, wheel, 2_000);
    expect(target.fired).toEqual([]);
    run(clock, wheel, 200);
    expect(target.fired.map((f) => f.kind)).toEqual([7]);
  });

  it('cancelled timers do not fire', () => {
    const clock = new ManualClock(0);
    const wheel = new TimerWheel(clock);
    const target = recorder(clock);
    const entry = wheel.schedule(100, target, 1);
    wheel.cancel(entry);
    wheel.cancel(entry); // idempotent
    run(clock, wheel, 500);
    expect(target.fired).toEqual([]);
    expect(wheel.pending).toBe(0);
  });

  it('fires everything due after a long stall in one advance', () => {
    const clock = new ManualClock(0);
    const wheel = new TimerWheel(clock, 100, 16);
    const target = recorder(clock);
    for (let i = 1; i <= 5; i++) wheel.schedule(i * 1000, target, i);
    clock.advance(60_000);
    wheel.advance();
    expect(target.fired.map((f) => f.kind).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('timers scheduled from a firing timer run on a later tick', () => {
    const clock = new ManualClock(0);
    const wheel = new TimerWheel(clock, 100, 16);
    const kinds: number[] = [];
    const target: TimerTarget = {
      onTimer(kind) {
        kinds.push(kind);
        if (kind === 1) wheel.schedule(0, target, 2);
      },
    };
    wheel.schedule(100, target, 1);
    clock.advance(100);
    wheel.advance();
    expect(kinds).toEqual([1]);
    clock.advance(100);
    wheel.advance();
    expect(kinds).toEqual([1, 2]);
  });
});

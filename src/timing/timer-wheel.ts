import type { Clock } from './clock.js';

/** Something a timer fires on; `kind` says which of its timers it was, so no closure is kept per timer. */
export interface TimerTarget {
  onTimer(kind: number): void;
}

export class TimerEntry {
  constructor(
    readonly deadline: number,
    readonly target: TimerTarget,
    readonly kind: number,
    readonly slot: number,
  ) {}
  /** Set once the entry fired or was cancelled. */
  done = false;
}

/**
 * A hashed timing wheel: the one timer mechanism of a node. Pings, pong deadlines, stale and expiry checks of
 * every connection are entries here instead of a setTimeout each; one interval advances the wheel.
 * Resolution is one tick; a timer never fires early and at most one tick late (plus the driver's lag).
 */
export class TimerWheel {
  private readonly slots: Set<TimerEntry>[];
  private currentTick: number;
  private size = 0;

  constructor(
    private readonly clock: Clock,
    readonly tickMs = 100,
    slotCount = 1024,
  ) {
    this.slots = Array.from({ length: slotCount }, () => new Set<TimerEntry>());
    this.currentTick = Math.floor(clock.now() / tickMs);
  }

  get pending(): number {
    return this.size;
  }

  schedule(delayMs: number, target: TimerTarget, kind: number): TimerEntry {
    const deadline = this.clock.now() + Math.max(0, delayMs);
    // Ceil so a timer never fires before its deadline; at least the next tick so it never fires re-entrantly.
    const tick = Math.max(Math.ceil(deadline / this.tickMs), this.currentTick + 1);
    const slot = tick % this.slots.length;
    const entry = new TimerEntry(deadline, target, kind, slot);
    this.slots[slot]!.add(entry);
    this.size++;
    return entry;
  }

  cancel(entry: TimerEntry | undefined): void {
    if (!entry || entry.done) return;
    entry.done = true;
    if (this.slots[entry.slot]!.delete(entry)) this.size--;
  }

  /** Fires every timer whose deadline is at or before the clock's current time. */
  advance(): void {
    const now = this.clock.now();
    const targetTick = Math.floor(now / this.tickMs);
    // After a long stall, one lap over all slots covers every due entry.
    const laps = Math.min(targetTick - this.currentTick, this.slots.length);
    const due: TimerEntry[] = [];
    for (let i = 1; i <= laps; i++) {
      const slot = this.slots[(this.currentTick + i) % this.slots.length]!;
      if (slot.size === 0) continue;
      for (const entry of slot) {
        if (entry.deadline <= now) {
          slot.delete(entry);
          this.size--;
          entry.done = true;
          due.push(entry);
        }
      }
    }
    this.currentTick = targetTick;
    for (const entry of due) entry.target.onTimer(entry.kind);
  }
}

/** Drives a wheel from the event loop; the interval is unref'd so it never keeps the process alive alone. */
export function startWheelDriver(wheel: TimerWheel): { stop(): void } {
  const interval = setInterval(() => wheel.advance(), wheel.tickMs);
  interval.unref();
  return { stop: () => clearInterval(interval) };
}

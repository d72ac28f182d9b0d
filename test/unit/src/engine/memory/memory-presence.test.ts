import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryPresenceManager } from '../../../../../src/engine/memory/memory-presence.js';
import { ManualClock } from '../../../../../src/timing/clock.js';

describe('MemoryPresenceManager', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets channels once their entries expired or were removed', async () => {
    const clock = new ManualClock();
    const presence = new MemoryPresenceManager({ clock, sweepIntervalMs: 0 });
    for (let i = 0; i < 50; i++) await presence.addPresence(`ch${i}`, 'c1', { user: 'u', client: 'c1' }, 1000);
    await presence.addPresence('kept', 'c1', { user: 'u', client: 'c1' }, 10_000);
    await presence.removePresence('kept', 'c1', 'u');
    expect(presence.channelCount).toBe(50);
    clock.advance(1000);
    presence.sweep();
    expect(presence.channelCount).toBe(0);
    await presence.close();
  });

  it('sweeps on its own interval once something was added, until closed', async () => {
    vi.useFakeTimers();
    const clock = new ManualClock();
    const presence = new MemoryPresenceManager({ clock, sweepIntervalMs: 500 });
    expect(vi.getTimerCount()).toBe(0);
    await presence.addPresence('ch', 'c1', { user: 'u', client: 'c1' }, 100);
    clock.advance(200);
    vi.advanceTimersByTime(500);
    expect(presence.channelCount).toBe(0);
    await presence.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps odd client ids as plain keys', async () => {
    const presence = new MemoryPresenceManager({ clock: new ManualClock(), sweepIntervalMs: 0 });
    await presence.addPresence('ch', '__proto__', { user: 'u', client: '__proto__' }, 1000);
    const entries = await presence.presence('ch');
    expect(Object.keys(entries)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(entries)).toBe(Object.prototype);
  });

  it('rejects a ttl that is not positive', async () => {
    const presence = new MemoryPresenceManager({ clock: new ManualClock(), sweepIntervalMs: 0 });
    await expect(presence.addPresence('ch', 'c1', { user: 'u', client: 'c1' }, 0)).rejects.toThrow(RangeError);
  });
});

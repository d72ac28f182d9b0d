import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerEventHandler } from '../../../../../src/engine/broker.js';
import { MemoryBroker } from '../../../../../src/engine/memory/memory-broker.js';
import type { Publication } from '../../../../../src/protocol/client-protocol.js';
import { ManualClock } from '../../../../../src/timing/clock.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const history = { historySize: 10, historyTtlMs: 60_000 };
const minute = 60_000;
const hour = 60 * minute;

function collector(): BrokerEventHandler & { pubs: Publication[] } {
  const pubs: Publication[] = [];
  return { pubs, handlePublication: (_c, pub) => void pubs.push(pub), handleJoin: () => {}, handleLeave: () => {}, handleInterrupted: () => {} };
}

describe('MemoryBroker', () => {
  const brokers: MemoryBroker[] = [];
  const make = (clock: ManualClock, historyMetaTtlMs?: number) => {
    const metaOption = historyMetaTtlMs === undefined ? {} : { historyMetaTtlMs };
    const broker = new MemoryBroker({ clock, sweepIntervalMs: 0, ...metaOption });
    brokers.push(broker);
    return broker;
  };
  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((b) => b.close()));
    vi.useRealTimers();
  });

  it('forgets channels whose meta and idempotent results expired, so memory stays bounded', async () => {
    const clock = new ManualClock();
    const broker = make(clock);
    for (let i = 0; i < 100; i++) {
      await broker.publish(`ch${i}`, bytes('1'), { ...history, historyMetaTtlMs: hour, idempotencyKey: 'k' });
      await broker.publish(`plain${i}`, bytes('1'), { idempotencyKey: 'k' });
    }
    expect(broker.stats()).toEqual({ subscribedChannels: 0, streams: 100, idempotentResults: 200 });
    clock.advance(5 * minute);
    broker.sweep();
    expect(broker.stats()).toEqual({ subscribedChannels: 0, streams: 100, idempotentResults: 0 });
    clock.advance(hour);
    broker.sweep();
    expect(broker.stats()).toEqual({ subscribedChannels: 0, streams: 0, idempotentResults: 0 });
  });

  it('remembers idempotent results for 5 minutes by default', async () => {
    const clock = new ManualClock();
    const broker = make(clock);
    await broker.publish('ch', bytes('1'), { idempotencyKey: 'k' });
    clock.advance(5 * minute - 1);
    expect((await broker.publish('ch', bytes('2'), { idempotencyKey: 'k' })).suppressed).toBe(true);
    clock.advance(1);
    expect((await broker.publish('ch', bytes('3'), { idempotencyKey: 'k' })).suppressed).toBe(false);
  });

  it('keeps stream meta 720h by default and forever when configured with 0', async () => {
    const clock = new ManualClock();
    const byDefault = make(clock);
    const forever = make(clock, 0);
    const a = await byDefault.publish('ch', bytes('1'), history);
    const b = await forever.publish('ch', bytes('1'), history);
    clock.advance(720 * hour - 1);
    expect((await byDefault.history('ch', { filter: { limit: 0 } })).position).toEqual({ offset: 1, epoch: a.epoch });
    clock.advance(720 * hour);
    expect((await byDefault.history('ch', { filter: { limit: 0 } })).position.offset).toBe(0);
    clock.advance(10_000 * hour);
    forever.sweep();
    expect((await forever.history('ch', { filter: { limit: 0 } })).position).toEqual({ offset: 1, epoch: b.epoch });
  });

  it('does not let callers change stored publications through what they were handed', async () => {
    const clock = new ManualClock();
    const broker = make(clock);
    const handler = collector();
    await broker.run(handler);
    await broker.subscribe('ch');
    await broker.publish('ch', bytes('1'), history);
    handler.pubs[0]!.delta = true;
    handler.pubs[0]!.offset = 99;
    const [fromHistory] = (await broker.history('ch', { filter: { limit: -1 } })).publications;
    expect(fromHistory).toEqual({ data: bytes('1'), offset: 1 });
    fromHistory!.offset = 42;
    expect((await broker.history('ch', { filter: { limit: -1 } })).publications[0]!.offset).toBe(1);
  });

  it('skips history unless both size and ttl are positive', async () => {
    const clock = new ManualClock();
    const broker = make(clock);
    const none = { offset: 0, epoch: '', suppressed: false };
    expect(await broker.publish('a', bytes('1'), { historySize: 10 })).toEqual(none);
    expect(await broker.publish('a', bytes('1'), { historyTtlMs: 1000 })).toEqual(none);
    expect(broker.stats().streams).toBe(0);
  });

  it('sweeps on its own interval between run and close', async () => {
    vi.useFakeTimers();
    const clock = new ManualClock();
    const broker = new MemoryBroker({ clock, sweepIntervalMs: 1000 });
    brokers.push(broker);
    await broker.run(collector());
    await broker.publish('ch', bytes('1'), { idempotencyKey: 'k', idempotentResultTtlMs: 500 });
    clock.advance(600);
    expect(broker.stats().idempotentResults).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(broker.stats().idempotentResults).toBe(0);
    await broker.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('trims long streams without losing order', async () => {
    const clock = new ManualClock();
    const broker = make(clock);
    const options = { historySize: 100, historyTtlMs: minute };
    for (let i = 1; i <= 1000; i++) await broker.publish('ch', bytes(String(i)), options);
    const slice = await broker.history('ch', { filter: { limit: -1 } });
    expect(slice.publications.map((p) => p.offset)).toEqual(Array.from({ length: 100 }, (_, i) => 901 + i));
    expect(new TextDecoder().decode(slice.publications[99]!.data)).toBe('1000');
  });
});

import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../../../../src/engine/memory/deadline-queue.js';

class Item {
  queuedAt = Infinity;
  constructor(readonly name: string) {}
}

function drain(queue: DeadlineQueue<Item>, now: number): string[] {
  const names: string[] = [];
  for (let item = queue.popDue(now); item; item = queue.popDue(now)) names.push(item.name);
  return names;
}

describe('DeadlineQueue', () => {
  it('pops due items in deadline order and leaves later ones', () => {
    const queue = new DeadlineQueue<Item>();
    const deadlines = [50, 10, 40, 30, 20, 60, 5];
    for (const at of deadlines) queue.schedule(new Item(`i${at}`), at);
    expect(drain(queue, 45)).toEqual(['i5', 'i10', 'i20', 'i30', 'i40']);
    expect(drain(queue, 45)).toEqual([]);
    expect(drain(queue, 100)).toEqual(['i50', 'i60']);
    expect(queue.size).toBe(0);
  });

  it('keeps one entry when a deadline moves later and a new one when it moves earlier', () => {
    const queue = new DeadlineQueue<Item>();
    const item = new Item('a');
    queue.schedule(item, 100);
    queue.schedule(item, 200);
    expect(queue.size).toBe(1);
    queue.schedule(item, 50);
    expect(queue.size).toBe(2);
    expect(drain(queue, 60)).toEqual(['a']);
    // The superseded entry at 100 is skipped.
    expect(drain(queue, 150)).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('lets a popped item be scheduled again', () => {
    const queue = new DeadlineQueue<Item>();
    const item = new Item('a');
    queue.schedule(item, 10);
    expect(queue.popDue(10)).toBe(item);
    expect(item.queuedAt).toBe(Infinity);
    queue.schedule(item, 30);
    expect(drain(queue, 20)).toEqual([]);
    expect(drain(queue, 30)).toEqual(['a']);
  });

  it('stays a heap under many random deadlines', () => {
    const queue = new DeadlineQueue<Item>();
    const deadlines = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const at of deadlines) queue.schedule(new Item(String(at)), at);
    const popped = drain(queue, 1000).map(Number);
    expect(popped).toEqual([...deadlines].sort((a, b) => a - b));
  });
});

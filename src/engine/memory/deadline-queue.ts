/** Something with one expiry deadline in a `DeadlineQueue`; `queuedAt` is owned by the queue. */
export interface Expiring {
  /** The deadline of its live queue entry, Infinity when it has none. Start it at Infinity. */
  queuedAt: number;
}

/**
 * A min-heap of deadlines with lazy deletion: one timer for any number of expiring records instead of a timer
 * each. A record has at most one live entry; when its deadline moves later, the entry stays and the owner
 * re-schedules the record when the early entry comes due (deadlines mostly move later: every publish or refresh
 * extends them). Entries of records the owner dropped simply come due and are ignored by the owner.
 */
export class DeadlineQueue<T extends Expiring> {
  private readonly deadlines: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Makes sure `item` comes due no later than `at`. */
  schedule(item: T, at: number): void {
    if (!(at < item.queuedAt)) return;
    item.queuedAt = at;
    this.deadlines.push(at);
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  /** Removes and returns the next record whose live entry is due at `now`, skipping superseded entries. */
  popDue(now: number): T | undefined {
    while (this.items.length > 0 && this.deadlines[0]! <= now) {
      const at = this.deadlines[0]!;
      const item = this.items[0]!;
      this.removeTop();
      if (item.queuedAt === at) {
        item.queuedAt = Infinity;
        return item;
      }
    }
    return undefined;
  }

  clear(): void {
    this.deadlines.length = 0;
    this.items.length = 0;
  }

  private removeTop(): void {
    const lastAt = this.deadlines.pop()!;
    const lastItem = this.items.pop()!;
    if (this.items.length === 0) return;
    this.deadlines[0] = lastAt;
    this.items[0] = lastItem;
    this.siftDown(0);
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.deadlines[parent]! <= this.deadlines[i]!) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const n = this.items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.deadlines[left]! < this.deadlines[smallest]!) smallest = left;
      if (right < n && this.deadlines[right]! < this.deadlines[smallest]!) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const at = this.deadlines[a]!;
    this.deadlines[a] = this.deadlines[b]!;
    this.deadlines[b] = at;
    const item = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = item;
  }
}

/** Something with queued frames to write. */
export interface Flushable {
  flush(): void;
}

/**
 * Coalesces writes: sessions that got frames during one event-loop turn are flushed together once, after the
 * turn's I/O, so several publications (and replies) to one socket leave in one write instead of one each.
 * The added delay is at most the rest of the current turn, or `delayMs` when set (an operator's trade of
 * latency for fewer, larger writes).
 */
export class FlushScheduler {
  private dirty: Flushable[] = [];
  private spare: Flushable[] = [];
  private scheduled = false;
  private readonly run = (): void => this.flushAll();

  constructor(private readonly delayMs = 0) {}

  markDirty(target: Flushable): void {
    this.dirty.push(target);
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.delayMs > 0) setTimeout(this.run, this.delayMs);
      else setImmediate(this.run);
    }
  }

  /** Flushes now; also called on shutdown so queued frames are not lost. */
  flushAll(): void {
    this.scheduled = false;
    const batch = this.dirty;
    this.dirty = this.spare;
    for (let i = 0; i < batch.length; i++) batch[i]!.flush();
    batch.length = 0;
    this.spare = batch;
  }
}

import type { Logger } from 'pino';

// A per-key work queue in the manner of client-go's: a key is queued at most once, handled by one worker at a time
// (an event arriving while it is being handled queues it again afterwards), failures come back after a per-key
// exponential backoff, and a handler can ask to see a key again after a delay.

export interface ProcessResult {
  /** Handle the key again after this long even if nothing changes (waiting for something time-based). */
  requeueAfterMs?: number;
}

export interface WorkQueueOptions {
  process(key: string): Promise<ProcessResult>;
  logger: Logger;
  concurrency?: number;
  /** Retry delay after the n-th consecutive failure of a key: base·2^(n-1), at most max, jittered. */
  backoff?: { baseMs: number; maxMs: number };
  onDepth?(depth: number): void;
  onResult?(result: 'success' | 'error', durationMs: number): void;
  random?: () => number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private running = false;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkQueueOptions) {}

  get depth(): number {
    return this.queue.length;
  }

  /** Starts handling keys (keys added before are kept and handled now). */
  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops taking keys and waits for the ones being handled. */
  async stop(): Promise<void> {
    this.running = false;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.options.onDepth?.(this.queue.length);
    this.pump();
  }

  /** Adds the key after `ms` (an earlier pending add wins). */
  addAfter(key: string, ms: number): void {
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  private retryDelay(key: string): number {
    const count = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, count);
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 1_000, maxMs: 300_000 };
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(count - 1, 30));
    return delay * (0.75 + (this.options.random ?? Math.random)() * 0.5);
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 2;
    while (this.running && this.active < concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.options.onDepth?.(this.queue.length);
      this.processing.add(key);
      this.active++;
      void this.handle(key);
    }
  }

  private async handle(key: string): Promise<void> {
    const started = Date.now();
    try {
      const result = await this.options.process(key);
      this.failures.delete(key);
      this.options.onResult?.('success', Date.now() - started);
      if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const delay = this.retryDelay(key);
      this.options.onResult?.('error', Date.now() - started);
      this.options.logger.warn({ err: error, key, retryInMs: Math.round(delay) }, 'reconcile failed; will retry');
      if (this.running) this.addAfter(key, delay);
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.add(key);
      if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      this.pump();
    }
  }
}

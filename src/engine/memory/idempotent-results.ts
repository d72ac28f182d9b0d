import type { StreamPosition } from '../../protocol/client-protocol.js';
import { DeadlineQueue, type Expiring } from './deadline-queue.js';

class IdempotentResult implements Expiring {
  queuedAt = Infinity;
  constructor(
    readonly channel: string,
    readonly key: string,
    readonly position: StreamPosition,
    readonly expiresAt: number,
  ) {}
}

/** Results of idempotent publishes per channel and key, each forgotten `ttlMs` after its publish. */
export class IdempotentResults {
  private readonly byChannel = new Map<string, Map<string, IdempotentResult>>();
  private readonly expiry = new DeadlineQueue<IdempotentResult>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The remembered position of `key` in `channel`, unless it expired by `now`. */
  get(channel: string, key: string, now: number): StreamPosition | undefined {
    const result = this.byChannel.get(channel)?.get(key);
    if (!result) return undefined;
    if (result.expiresAt <= now) {
      this.delete(result);
      return undefined;
    }
    return result.position;
  }

  save(channel: string, key: string, position: StreamPosition, expiresAt: number): void {
    let results = this.byChannel.get(channel);
    if (!results) {
      results = new Map();
      this.byChannel.set(channel, results);
    }
    const previous = results.get(key);
    if (previous) this.count--;
    const result = new IdempotentResult(channel, key, position, expiresAt);
    results.set(key, result);
    this.count++;
    this.expiry.schedule(result, expiresAt);
  }

  /** Forgets every result expired by `now`. */
  sweep(now: number): void {
    for (let result = this.expiry.popDue(now); result; result = this.expiry.popDue(now)) {
      if (this.byChannel.get(result.channel)?.get(result.key) === result) this.delete(result);
    }
  }

  clear(): void {
    this.byChannel.clear();
    this.expiry.clear();
    this.count = 0;
  }

  private delete(result: IdempotentResult): void {
    const results = this.byChannel.get(result.channel);
    if (!results || results.get(result.key) !== result) return;
    results.delete(result.key);
    this.count--;
    if (results.size === 0) this.byChannel.delete(result.channel);
  }
}

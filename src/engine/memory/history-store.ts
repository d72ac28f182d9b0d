import type { Publication, StreamPosition } from '../../protocol/client-protocol.js';
import type { HistoryOptions, HistorySlice } from '../broker.js';
import { DeadlineQueue, type Expiring } from './deadline-queue.js';
import { MemoryStream } from './memory-stream.js';

class ChannelHistory implements Expiring {
  queuedAt = Infinity;
  readonly stream = new MemoryStream();
  /** When the publications expire (history ttl after the last publish). */
  itemsExpireAt = Infinity;
  /** When epoch and top offset expire (meta ttl after the last publish or read); Infinity = never. */
  metaExpiresAt = Infinity;
  constructor(readonly channel: string) {}

  position(): StreamPosition {
    return { offset: this.stream.top, epoch: this.stream.epoch };
  }
}

export interface AppendOptions {
  size: number;
  ttlMs: number;
  /** 0 = the store's default. */
  metaTtlMs: number;
  /** Hand back a copy of the previous newest publication. */
  withPrevious: boolean;
}

export interface Appended {
  position: StreamPosition;
  previous: Publication | undefined;
}

/**
 * Every channel's history stream in one process, expired by the clock: lazily when a channel is touched and
 * in `sweep`, driven by one deadline queue (never a timer per channel). A stream whose meta expired is removed
 * entirely, so memory is bounded by channels active within their meta ttl.
 */
export class HistoryStore {
  private readonly channels = new Map<string, ChannelHistory>();
  private readonly expiry = new DeadlineQueue<ChannelHistory>();

  /** @param defaultMetaTtlMs meta lifetime when a call passes 0; 0 here keeps meta forever. */
  constructor(private readonly defaultMetaTtlMs: number) {}

  /** Channels that have a stream (meta, with or without publications). */
  get size(): number {
    return this.channels.size;
  }

  /** Appends `pub` (stored as given; its offset is set) to the channel's stream, creating it when needed. */
  append(channel: string, pub: Publication, options: AppendOptions, now: number): Appended {
    const history = this.live(channel, now) ?? this.create(channel);
    const previous = options.withPrevious ? history.stream.last() : undefined;
    history.stream.append(pub, options.size);
    history.itemsExpireAt = now + options.ttlMs;
    this.touchMeta(history, options.metaTtlMs, now);
    return { position: history.position(), previous };
  }

  /** Reads a stream (creating its meta when missing) and refreshes the meta lifetime. */
  read(channel: string, options: HistoryOptions, now: number): HistorySlice {
    const history = this.live(channel, now) ?? this.create(channel);
    this.touchMeta(history, options.metaTtlMs ?? 0, now);
    return { publications: history.stream.read(options.filter), position: history.position() };
  }

  /** Drops a stream's publications, keeping its epoch and top offset. */
  removePublications(channel: string, now: number): void {
    const history = this.live(channel, now);
    if (!history) return;
    history.stream.clear();
    history.itemsExpireAt = Infinity;
  }

  /** Expires everything due at `now`. */
  sweep(now: number): void {
    for (let history = this.expiry.popDue(now); history; history = this.expiry.popDue(now)) {
      if (this.channels.get(history.channel) !== history) continue;
      if (this.expire(history, now)) this.schedule(history);
    }
  }

  clear(): void {
    this.channels.clear();
    this.expiry.clear();
  }

  private create(channel: string): ChannelHistory {
    const history = new ChannelHistory(channel);
    this.channels.set(channel, history);
    return history;
  }

  /** The channel's stream after lazy expiry, or undefined when it has none (left). */
  private live(channel: string, now: number): ChannelHistory | undefined {
    const history = this.channels.get(channel);
    if (!history) return undefined;
    return this.expire(history, now) ? history : undefined;
  }

  /** Applies the deadlines due at `now`; false when the whole stream went away. */
  private expire(history: ChannelHistory, now: number): boolean {
    if (history.metaExpiresAt <= now) {
      this.channels.delete(history.channel);
      return false;
    }
    if (history.itemsExpireAt <= now) {
      history.stream.clear();
      history.itemsExpireAt = Infinity;
    }
    return true;
  }

  private touchMeta(history: ChannelHistory, metaTtlMs: number, now: number): void {
    const ttl = metaTtlMs > 0 ? metaTtlMs : this.defaultMetaTtlMs;
    history.metaExpiresAt = ttl > 0 ? now + ttl : Infinity;
    this.schedule(history);
  }

  private schedule(history: ChannelHistory): void {
    const next = Math.min(history.itemsExpireAt, history.metaExpiresAt);
    if (next !== Infinity) this.expiry.schedule(history, next);
  }
}

import {
  defaultIdempotentResultTtlMs,
  type Broker,
  type BrokerEventHandler,
  type HistoryOptions,
  type HistorySlice,
  type PublishOptions,
  type PublishOutcome,
} from '../broker.js';
import type { Bytes, ClientInfo, Publication, StreamPosition } from '../../protocol/client-protocol.js';
import { systemClock, type Clock } from '../../timing/clock.js';
import { HistoryStore } from './history-store.js';
import { IdempotentResults } from './idempotent-results.js';

/** Centrifugo's default `channel.history_meta_ttl` (720h). */
export const defaultHistoryMetaTtlMs = 720 * 3_600_000;

export interface MemoryBrokerOptions {
  clock?: Clock;
  /** Meta lifetime when a publish or read passes none; 0 keeps meta forever. Default 720h. */
  historyMetaTtlMs?: number;
  /**
   * How often `run` sweeps expired streams and idempotent results on one unref'd interval (default 1000 ms);
   * 0 = no interval: the owner calls `sweep()` (expiry also happens lazily whenever a channel is touched).
   */
  sweepIntervalMs?: number;
}

/** Sizes of what the broker holds, for tests and metrics. */
export interface MemoryBrokerStats {
  subscribedChannels: number;
  /** Channels with a history stream (meta, publications or both). */
  streams: number;
  idempotentResults: number;
}

const noPosition: StreamPosition = Object.freeze({ offset: 0, epoch: '' });

function usesHistory(options: PublishOptions): boolean {
  return (options.historySize ?? 0) > 0 && (options.historyTtlMs ?? 0) > 0;
}

/**
 * The embedded engine: one process is the whole cluster, so a publish is stored in the channel's stream and
 * handed straight to the node's handler, synchronously, which keeps delivery in offset order. All time comes
 * from the injected clock; channels that have neither subscribers, a stream nor idempotent results cost nothing.
 */
export class MemoryBroker implements Broker {
  private handler: BrokerEventHandler | undefined;
  private readonly subscribed = new Set<string>();
  private readonly clock: Clock;
  private readonly histories: HistoryStore;
  private readonly results = new IdempotentResults();
  private readonly sweepIntervalMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemoryBrokerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.histories = new HistoryStore(options.historyMetaTtlMs ?? defaultHistoryMetaTtlMs);
    this.sweepIntervalMs = options.sweepIntervalMs ?? 1000;
  }

  async run(handler: BrokerEventHandler): Promise<void> {
    this.handler = handler;
    if (this.sweepIntervalMs > 0 && !this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), this.sweepIntervalMs);
      this.sweeper.unref();
    }
  }

  async subscribe(channel: string): Promise<void> {
    this.subscribed.add(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.subscribed.delete(channel);
  }

  async publish(channel: string, data: Bytes, options: PublishOptions): Promise<PublishOutcome> {
    const now = this.clock.now();
    const key = options.idempotencyKey;
    if (key) {
      const first = this.results.get(channel, key, now);
      if (first) return { offset: first.offset, epoch: first.epoch, suppressed: true };
    }
    const pub: Publication = { data };
    if (options.info) pub.info = options.info;
    if (options.tags && Object.keys(options.tags).length > 0) pub.tags = options.tags;

    let position = noPosition;
    let prevPub: Publication | undefined;
    if (usesHistory(options)) {
      const stored: Publication = { ...pub };
      const appended = this.histories.append(
        channel,
        stored,
        {
          size: options.historySize ?? 0,
          ttlMs: options.historyTtlMs ?? 0,
          metaTtlMs: options.historyMetaTtlMs ?? 0,
          withPrevious: options.useDelta === true,
        },
        now,
      );
      position = appended.position;
      prevPub = appended.previous;
      pub.offset = position.offset;
    }
    if (key) {
      const ttl = options.idempotentResultTtlMs || defaultIdempotentResultTtlMs;
      this.results.save(channel, key, position, now + ttl);
    }
    if (this.handler && this.subscribed.has(channel)) {
      this.handler.handlePublication(channel, pub, { ...position }, options.useDelta === true, prevPub);
    }
    return { offset: position.offset, epoch: position.epoch, suppressed: false };
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    if (this.handler && this.subscribed.has(channel)) this.handler.handleJoin(channel, info);
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    if (this.handler && this.subscribed.has(channel)) this.handler.handleLeave(channel, info);
  }

  async history(channel: string, options: HistoryOptions): Promise<HistorySlice> {
    return this.histories.read(channel, options, this.clock.now());
  }

  async removeHistory(channel: string): Promise<void> {
    this.histories.removePublications(channel, this.clock.now());
  }

  /** Drops expired publications, stream metas and idempotent results (also done lazily on access). */
  sweep(): void {
    const now = this.clock.now();
    this.histories.sweep(now);
    this.results.sweep(now);
  }

  stats(): MemoryBrokerStats {
    return {
      subscribedChannels: this.subscribed.size,
      streams: this.histories.size,
      idempotentResults: this.results.size,
    };
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.handler = undefined;
    this.subscribed.clear();
    this.histories.clear();
    this.results.clear();
  }
}

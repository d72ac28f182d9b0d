import type { Bytes, ClientInfo, Publication, StreamPosition } from '../protocol/client-protocol.js';

/** Centrifuge's default lifetime of an idempotent publish result. */
export const defaultIdempotentResultTtlMs = 5 * 60_000;

/**
 * How one publication is published. History is kept only when both `historySize` > 0 and `historyTtlMs` > 0
 * (the API's `skip_history` means: pass neither).
 */
export interface PublishOptions {
  /** The publisher, when a client published. */
  info?: ClientInfo;
  tags?: Record<string, string>;
  /** Most publications the channel's stream keeps; older ones are trimmed. */
  historySize?: number;
  /** The stream's publications expire this long after the channel's last publish (its offset/epoch stay). */
  historyTtlMs?: number;
  /**
   * How long the stream's meta (epoch + top offset) lives after the last publish or history read; when it
   * expires the stream starts over with a new epoch at offset 1. 0 or absent = the broker's default
   * (Centrifugo's `channel.history_meta_ttl`, 720h); a broker default of 0 keeps meta forever.
   * Should be much larger than `historyTtlMs`.
   */
  historyMetaTtlMs?: number;
  /**
   * A publish with a key already seen in this channel within `idempotentResultTtlMs` is not published again:
   * the first publish's position comes back with `suppressed: true`.
   */
  idempotencyKey?: string;
  /** 0 or absent = `defaultIdempotentResultTtlMs` (5 min). */
  idempotentResultTtlMs?: number;
  /**
   * The channel allows fossil delta: the handler gets `useDelta` and, when the publication went into history,
   * the stream's previous publication to diff against. Without history there is no previous publication.
   */
  useDelta?: boolean;
}

/** What publish did: the publication's stream position (offset 0, epoch '' without history). */
export interface PublishOutcome extends StreamPosition {
  /** True when an idempotency key matched: nothing was published and the position is the first publish's. */
  suppressed: boolean;
}

/** Which part of a channel's stream to read. */
export interface HistoryFilter {
  /**
   * Forward: publications with offset > since.offset, oldest first; when that offset was trimmed the read starts
   * at the oldest one kept, so the caller sees the gap (first offset ≠ since.offset + 1).
   * Reverse: publications with offset < since.offset, newest first.
   * The epoch of `since` is NOT compared here: the broker returns the stream and its current position, and the
   * caller (node history/recovery) compares epochs — a different epoch means "unrecoverable position" (112) or
   * `recovered: false`, as in Centrifuge's node.
   */
  since?: StreamPosition;
  /** Most publications to return: 0 = none (position only), -1 (any negative) = no limit. */
  limit: number;
  /** Newest first. */
  reverse?: boolean;
}

export interface HistoryOptions {
  filter: HistoryFilter;
  /** Meta lifetime refreshed by this read, as `PublishOptions.historyMetaTtlMs` (0/absent = broker default). */
  metaTtlMs?: number;
}

/** Publications read from a stream plus the stream's current top position. */
export interface HistorySlice {
  publications: Publication[];
  /**
   * The stream's top offset and epoch. Reading a channel that has no stream yet creates its meta (offset 0 and a
   * new epoch), so a subscriber's position stays valid when the first publication arrives.
   */
  position: StreamPosition;
}

/** What a broker hands to its node: publications and join/leave events of channels the node subscribed to. */
export interface BrokerEventHandler {
  /**
   * One publication, in the channel's publish order. With history, `pub.offset` is set and `position` is
   * `{ offset: pub.offset, epoch }` so the node can detect gaps; without history `position` is
   * `{ offset: 0, epoch: '' }`. `prevPub` is the stream's previous publication when `useDelta` was asked and
   * history was used (undefined for the first publication of a stream). Treat every `data` as immutable.
   */
  handlePublication(
    channel: string,
    pub: Publication,
    position: StreamPosition,
    useDelta: boolean,
    prevPub: Publication | undefined,
  ): void;
  handleJoin(channel: string, info: ClientInfo): void;
  handleLeave(channel: string, info: ClientInfo): void;
  /**
   * Publications of these subscribed channels may have been missed: their shard's PUB/SUB connection was lost
   * and is back, or the ring moved them to another shard. Their subscribers must recover from history.
   * Called once the broker receives the channels' publications again.
   */
  handleInterrupted(channels: readonly string[]): void;
}

/**
 * Moves publications between publishers and the nodes whose clients subscribe, and keeps each channel's history
 * stream. The memory broker is one process; the Redis broker spreads channels over a ring of shards. A node
 * subscribes a channel when its first local client subscribes and unsubscribes it when the last one leaves.
 * Publishing (with or without history) does not need a subscriber.
 */
export interface Broker {
  /** Starts delivering events of subscribed channels to `handler`. */
  run(handler: BrokerEventHandler): Promise<void>;
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /**
   * Appends to the channel's stream (when history options are set) and delivers to every node subscribed to
   * `channel`, atomically per channel, so offsets and delivery order agree.
   */
  publish(channel: string, data: Bytes, options: PublishOptions): Promise<PublishOutcome>;
  publishJoin(channel: string, info: ClientInfo): Promise<void>;
  publishLeave(channel: string, info: ClientInfo): Promise<void>;
  /** Reads the channel's stream (see `HistoryFilter`) and refreshes its meta lifetime. */
  history(channel: string, options: HistoryOptions): Promise<HistorySlice>;
  /** Drops the channel's publications; its epoch and top offset stay, so recovery across it fails cleanly. */
  removeHistory(channel: string): Promise<void>;
  close(): Promise<void>;
}

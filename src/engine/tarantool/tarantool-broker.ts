import type { Logger } from 'pino';
import type { Bytes, ClientInfo, Publication } from '../../protocol/client-protocol.js';
import {
  decodeClientInfoMessage,
  decodePublicationMessage,
  encodeClientInfoMessage,
  encodePublicationMessage,
} from '../../protocol/protobuf-publication.js';
import {
  defaultIdempotentResultTtlMs,
  type Broker,
  type BrokerEventHandler,
  type HistoryOptions,
  type HistorySlice,
  type PublishOptions,
  type PublishOutcome,
} from '../broker.js';
import { historyReadRange } from '../history-read-range.js';
import { newStreamEpoch } from '../stream-epoch.js';
import { decodeHistoryResult, decodePublishResult, type PushedMessage } from './tarantool-replies.js';
import type { TarantoolShard } from './tarantool-shard.js';

export interface TarantoolBrokerOptions {
  /** Meta lifetime when a publish or read passes none (`channel.history_meta_ttl`); 0 keeps meta forever. */
  historyMetaTtlMs: number;
}

/** Picks the shard of a channel (the engine's jump hash over its ordered instances). */
export interface ShardPicker {
  shardFor(channel: string): TarantoolShard;
}

/**
 * The Broker over Tarantool shards: publishing (offset, append, trim, idempotency result, queueing for the
 * subscribed nodes) is one Lua call in one transaction on the channel's shard, so offsets and delivery order
 * agree; each node receives its channels' messages through its shard connection's long poll.
 */
export class TarantoolBroker implements Broker {
  private handler: BrokerEventHandler | undefined;
  /** Channels this node subscribed, with their shard (messages of others are dropped). */
  private readonly channels = new Map<string, TarantoolShard>();

  constructor(
    private readonly shards: ShardPicker,
    private readonly options: TarantoolBrokerOptions,
    private readonly logger: Logger,
  ) {}

  async run(handler: BrokerEventHandler): Promise<void> {
    this.handler = handler;
  }

  async subscribe(channel: string): Promise<void> {
    const shard = this.shards.shardFor(channel);
    this.channels.set(channel, shard);
    try {
      await shard.subscribe(channel);
    } catch (err) {
      if (this.channels.get(channel) === shard) this.channels.delete(channel);
      throw err;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    const shard = this.channels.get(channel);
    if (!shard) return;
    this.channels.delete(channel);
    shard.unsubscribe(channel);
  }

  async publish(channel: string, data: Bytes, options: PublishOptions): Promise<PublishOutcome> {
    const history = (options.historySize ?? 0) > 0 && (options.historyTtlMs ?? 0) > 0;
    const pub: Publication = { data, time: Date.now() };
    if (options.info) pub.info = options.info;
    if (options.tags && Object.keys(options.tags).length > 0) pub.tags = options.tags;
    // Without history the delta flag travels inside the publication (there is no previous one to send).
    if (!history && options.useDelta) pub.delta = true;
    const key = options.idempotencyKey ?? '';
    const reply = await this.shards.shardFor(channel).call('publish', [
      channel,
      Buffer.from(encodePublicationMessage(pub)),
      history ? options.historySize! : 0,
      history ? Math.max(1, Math.round(options.historyTtlMs!)) : 0,
      Math.max(0, Math.round(options.historyMetaTtlMs || this.options.historyMetaTtlMs)),
      newStreamEpoch(),
      key,
      key ? options.idempotentResultTtlMs || defaultIdempotentResultTtlMs : 0,
      options.useDelta === true,
    ]);
    return decodePublishResult(reply);
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    await this.shards.shardFor(channel).call('publish_event', ['j', channel, Buffer.from(encodeClientInfoMessage(info))]);
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    await this.shards.shardFor(channel).call('publish_event', ['l', channel, Buffer.from(encodeClientInfoMessage(info))]);
  }

  async history(channel: string, options: HistoryOptions): Promise<HistorySlice> {
    const { include, from, limit, reverse } = historyReadRange(options.filter);
    const metaTtl = options.metaTtlMs || this.options.historyMetaTtlMs;
    const reply = await this.shards
      .shardFor(channel)
      .call('history', [channel, include, from, limit, reverse, Math.max(0, Math.round(metaTtl)), newStreamEpoch()]);
    const slice = decodeHistoryResult(reply);
    if (!include) slice.publications = [];
    return slice;
  }

  async removeHistory(channel: string): Promise<void> {
    await this.shards.shardFor(channel).call('remove_history', [channel]);
  }

  /** A message of a subscribed channel from its shard's long poll; handed on synchronously (order kept). */
  receive(shard: TarantoolShard, message: PushedMessage): void {
    const handler = this.handler;
    if (!handler || this.channels.get(message.channel) !== shard) return;
    const { channel } = message;
    try {
      if (message.type === 'p' || message.type === 'd') {
        const decoded = decodePublicationMessage(message.data);
        const pub = decoded.pub;
        if (message.offset > 0) pub.offset = message.offset;
        const position = { offset: message.offset, epoch: message.epoch };
        let prevPub: Publication | undefined;
        if (message.prev) {
          prevPub = decodePublicationMessage(message.prev).pub;
          prevPub.offset = message.offset - 1;
        }
        handler.handlePublication(channel, pub, position, message.type === 'd' || decoded.delta, prevPub);
      } else if (message.type === 'j') {
        handler.handleJoin(channel, decodeClientInfoMessage(message.data));
      } else if (message.type === 'l') {
        handler.handleLeave(channel, decodeClientInfoMessage(message.data));
      } else {
        this.logger.warn({ shard: shard.name, channel, type: message.type }, 'skipped a Tarantool message of unknown type');
      }
    } catch (err) {
      this.logger.warn({ shard: shard.name, channel, err: (err as Error).message }, 'skipped a malformed Tarantool message');
    }
  }

  /** The shard is back: the node's channels on it may have missed publications. */
  interrupted(shard: TarantoolShard, channels: readonly string[]): void {
    const mine = channels.filter((channel) => this.channels.get(channel) === shard);
    if (mine.length > 0) this.handler?.handleInterrupted(mine);
  }

  async close(): Promise<void> {
    this.handler = undefined;
    for (const [channel, shard] of this.channels) shard.unsubscribe(channel);
    this.channels.clear();
  }
}

import type { Logger } from 'pino';
import type { Metrics } from '../../observability/metrics.js';
import type { Bytes, ClientInfo, Publication } from '../../protocol/client-protocol.js';
import { encodeClientInfoMessage, encodePublicationMessage } from '../../protocol/protobuf-publication.js';
import {
  defaultIdempotentResultTtlMs,
  type Broker,
  type BrokerEventHandler,
  type HistoryOptions,
  type HistorySlice,
  type PublishOptions,
  type PublishOutcome,
} from '../broker.js';
import { asBuffer } from './as-buffer.js';
import { decodeHistoryReply, decodePublishReply } from './redis-replies.js';
import { LuaScript } from './lua-script.js';
import { joinFrame, leaveFrame } from './pubsub-message.js';
import { PubSubReceiver } from './pubsub-receiver.js';
import { historyLua, publishIdempotentLua, publishOnSlotLua, publishWithHistoryLua } from './redis-scripts.js';
import type { RedisRing } from './redis-ring.js';
import type { RedisShard } from './redis-shard.js';
import { historyReadRange } from '../history-read-range.js';
import { newStreamEpoch } from '../stream-epoch.js';

export interface RedisBrokerOptions {
  /** Meta lifetime when a publish or read passes none (`channel.history_meta_ttl`); 0 keeps meta forever. */
  historyMetaTtlMs: number;
}

const publishIdempotent = new LuaScript(publishIdempotentLua);
const publishWithHistory = new LuaScript(publishWithHistoryLua);
const readHistory = new LuaScript(historyLua);
const publishOnSlot = new LuaScript(publishOnSlotLua);

const noPosition: PublishOutcome = Object.freeze({ offset: 0, epoch: '', suppressed: false });

/**
 * The Broker over the ring of Redis shards: every channel's PUB/SUB channel, stream and idempotency results
 * live on the shard the ring picks for it, in Centrifugo's layout. Publishing with history is one Lua script
 * (offset, append, trim, expiry, PUBLISH, idempotency result), so offsets and delivery order agree.
 */
export class RedisBroker implements Broker {
  /** Channels this node subscribed, with the shard each is subscribed on. */
  private readonly channels = new Map<string, RedisShard>();
  readonly receiver: PubSubReceiver;

  constructor(
    private readonly ring: RedisRing,
    private readonly options: RedisBrokerOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.receiver = new PubSubReceiver(this.channels, logger, metrics);
  }

  async run(handler: BrokerEventHandler): Promise<void> {
    this.receiver.handler = handler;
  }

  async subscribe(channel: string): Promise<void> {
    const shard = this.ring.shardFor(channel);
    this.channels.set(channel, shard);
    try {
      await shard.subscriptions.subscribe(shard.keys.clientChannel(channel));
    } catch (err) {
      if (this.channels.get(channel) === shard) this.channels.delete(channel);
      throw err;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    const shard = this.channels.get(channel);
    if (!shard) return;
    this.channels.delete(channel);
    shard.subscriptions.unsubscribe(shard.keys.clientChannel(channel));
  }

  async publish(channel: string, data: Bytes, options: PublishOptions): Promise<PublishOutcome> {
    const shard = this.ring.shardFor(channel);
    shard.ensureAvailable();
    const history = (options.historySize ?? 0) > 0 && (options.historyTtlMs ?? 0) > 0;
    const pub: Publication = { data, time: Date.now() };
    if (options.info) pub.info = options.info;
    if (options.tags && Object.keys(options.tags).length > 0) pub.tags = options.tags;
    // Without history the delta flag travels inside the publication (there is no frame header for it).
    if (!history && options.useDelta) pub.delta = true;
    const payload = asBuffer(encodePublicationMessage(pub));
    const keys = shard.keys;
    const pubSubChannel = keys.clientChannel(channel);
    const idempotencyKey = options.idempotencyKey ?? '';
    const resultTtl = idempotencyKey ? String(options.idempotentResultTtlMs || defaultIdempotentResultTtlMs) : '';

    if (!history) {
      if (!idempotencyKey) {
        await this.publishRaw(shard, channel, pubSubChannel, payload);
        return noPosition;
      }
      const reply = await shard.counted(
        publishIdempotent.run(shard.commands, [keys.result(channel, idempotencyKey)], [payload, pubSubChannel, resultTtl]),
      );
      return Array.isArray(reply) ? { offset: 0, epoch: '', suppressed: true } : noPosition;
    }
    const metaTtl = options.historyMetaTtlMs || this.options.historyMetaTtlMs;
    const reply = await shard.counted(
      publishWithHistory.run(
        shard.commands,
        [keys.stream(channel), keys.streamMeta(channel), keys.result(channel, idempotencyKey)],
        [
          payload,
          options.historySize!,
          Math.max(1, Math.round(options.historyTtlMs!)),
          pubSubChannel,
          Math.max(0, Math.round(metaTtl)),
          newStreamEpoch(),
          resultTtl,
          options.useDelta ? '1' : '0',
        ],
      ),
    );
    return decodePublishReply(reply);
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    await this.publishPresenceEvent(channel, joinFrame(encodeClientInfoMessage(info)));
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    await this.publishPresenceEvent(channel, leaveFrame(encodeClientInfoMessage(info)));
  }

  private async publishPresenceEvent(channel: string, frame: Buffer): Promise<void> {
    const shard = this.ring.shardFor(channel);
    shard.ensureAvailable();
    await this.publishRaw(shard, channel, shard.keys.clientChannel(channel), frame);
  }

  /** PUBLISH; on a Redis Cluster from the channel's own node, so the channel's messages keep their order. */
  private async publishRaw(shard: RedisShard, channel: string, pubSubChannel: string, payload: Buffer): Promise<void> {
    if (shard.keys.cluster) {
      await shard.counted(publishOnSlot.run(shard.commands, [shard.keys.stream(channel)], [pubSubChannel, payload]));
    } else {
      await shard.counted(shard.commands.publish(pubSubChannel, payload));
    }
  }

  async history(channel: string, options: HistoryOptions): Promise<HistorySlice> {
    const shard = this.ring.shardFor(channel);
    shard.ensureAvailable();
    const { include, from, limit, reverse } = historyReadRange(options.filter);
    const metaTtl = options.metaTtlMs || this.options.historyMetaTtlMs;
    const reply = await shard.counted(
      readHistory.run(
        shard.commands,
        [shard.keys.stream(channel), shard.keys.streamMeta(channel)],
        [include ? '1' : '0', from, limit, reverse ? '1' : '0', Math.max(0, Math.round(metaTtl)), newStreamEpoch()],
      ),
    );
    return decodeHistoryReply(reply, include);
  }

  async removeHistory(channel: string): Promise<void> {
    const shard = this.ring.shardFor(channel);
    shard.ensureAvailable();
    await shard.counted(shard.commands.del(shard.keys.stream(channel)));
  }

  /**
   * After the ring changed: every subscribed channel whose shard changed is subscribed on its new shard and
   * unsubscribed from the old one; once the new subscriptions are live, their subscribers are told to recover.
   */
  async rebalance(): Promise<string[]> {
    const moved: string[] = [];
    const subscribing: Promise<void>[] = [];
    for (const [channel, shard] of this.channels) {
      const next = this.ring.shardFor(channel);
      if (next === shard) continue;
      this.channels.set(channel, next);
      shard.subscriptions.unsubscribe(shard.keys.clientChannel(channel));
      moved.push(channel);
      subscribing.push(
        next.subscriptions.subscribe(next.keys.clientChannel(channel)).catch((err: unknown) => {
          // The new shard is not reachable yet: its PUB/SUB reconnect resubscribes and signals then.
          next.subscriptions.keep(next.keys.clientChannel(channel));
          this.logger.debug({ channel, shard: next.name, err }, 'moved channel waits for its new shard');
        }),
      );
    }
    await Promise.all(subscribing);
    if (moved.length > 0) this.receiver.interrupted(moved);
    return moved;
  }

  /** Subscribed channels by shard name (for tests and diagnostics). */
  subscribedOn(shardName: string): string[] {
    const out: string[] = [];
    for (const [channel, shard] of this.channels) if (shard.name === shardName) out.push(channel);
    return out;
  }

  async close(): Promise<void> {
    this.receiver.handler = undefined;
    for (const [channel, shard] of this.channels) shard.subscriptions.unsubscribe(shard.keys.clientChannel(channel));
    this.channels.clear();
  }
}


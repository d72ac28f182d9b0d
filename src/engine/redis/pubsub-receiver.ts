import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { Metrics } from '../../observability/metrics.js';
import type { Publication, StreamPosition } from '../../protocol/client-protocol.js';
import { decodeClientInfoMessage, decodePublicationMessage } from '../../protocol/protobuf-publication.js';
import type { BrokerEventHandler } from '../broker.js';
import { PubSubKind, parsePubSubMessage } from './pubsub-message.js';
import type { RedisShard } from './redis-shard.js';

/**
 * Turns messages arriving on channels' PUB/SUB channels into broker events: parses the framing, decodes the
 * protobuf once, and hands the result to the node's handler synchronously (so a channel's order is kept).
 * Messages of channels this node no longer receives from that shard are dropped; a message that does not
 * parse is skipped and logged (another writer's garbage must not take the node down).
 */
export class PubSubReceiver {
  handler: BrokerEventHandler | undefined;
  private readonly lag: Histogram<'shard'>;
  private readonly lagByShard = new Map<RedisShard, ReturnType<Histogram<'shard'>['labels']>>();

  constructor(
    private readonly channels: ReadonlyMap<string, RedisShard>,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.lag = metrics.redisPubSubLag;
  }

  receive(shard: RedisShard, pubSubChannel: string, message: Buffer): void {
    const handler = this.handler;
    if (!handler) return;
    const channel = shard.keys.channelOf(pubSubChannel);
    if (channel === undefined || this.channels.get(channel) !== shard) return;
    let parsed;
    let pub: Publication | undefined;
    let position: StreamPosition | undefined;
    let prevPub: Publication | undefined;
    let delta = false;
    let info;
    try {
      parsed = parsePubSubMessage(message);
      if (parsed.kind === PubSubKind.Publication) {
        const decoded = decodePublicationMessage(parsed.payload);
        pub = decoded.pub;
        if (!pub.offset && parsed.offset > 0) pub.offset = parsed.offset;
        position = { offset: pub.offset ?? 0, epoch: decoded.epoch || parsed.epoch };
        if (parsed.prevPayload && parsed.prevPayload.length > 0) {
          prevPub = decodePublicationMessage(parsed.prevPayload).pub;
          prevPub.offset = position.offset - 1;
        }
        delta = parsed.delta || decoded.delta;
        if (decoded.time > 0) this.observeLag(shard, decoded.time);
      } else {
        info = decodeClientInfoMessage(parsed.payload);
      }
    } catch (err) {
      shard.tally.pubsubMalformed++;
      this.logger.warn(
        { shard: shard.name, channel, bytes: message.length, err: err instanceof Error ? err.message : String(err) },
        'skipped a malformed PUB/SUB message',
      );
      return;
    }
    try {
      if (pub) handler.handlePublication(channel, pub, position!, delta, prevPub);
      else if (parsed.kind === PubSubKind.Join) handler.handleJoin(channel, info!);
      else handler.handleLeave(channel, info!);
    } catch (err) {
      this.logger.error({ channel, err }, 'delivering a PUB/SUB message failed');
    }
  }

  /** Tells the handler these channels' publications may have been missed. */
  interrupted(channels: readonly string[]): void {
    this.handler?.handleInterrupted(channels);
  }

  private observeLag(shard: RedisShard, time: number): void {
    let child = this.lagByShard.get(shard);
    if (!child) this.lagByShard.set(shard, (child = this.lag.labels(shard.name)));
    const seconds = (Date.now() - time) / 1000;
    if (seconds >= 0) child.observe(seconds);
  }
}

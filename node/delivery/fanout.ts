import type { BrokerEventHandler } from '../../src/engine/broker.js';
import type { Metrics } from '../../src/observability/metrics.js';
import type { ClientInfo, Publication, Push, Reply, StreamPosition } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';
import type { Hub } from '../hub/hub.js';
import type { Session } from '../session/session.js';
import { PublicationFrames } from './publication-frames.js';

/**
 * Delivers broker events to local subscribers. Each event is encoded at most once per protocol (and delta
 * form) and the same frame object goes to every subscriber that needs it; no per-socket encoding.
 */
export class Fanout implements BrokerEventHandler {
  constructor(
    private readonly hub: Hub<Session>,
    private readonly metrics: Metrics,
  ) {}

  handlePublication(
    channel: string,
    pub: Publication,
    position: StreamPosition,
    useDelta: boolean,
    prevPub: Publication | undefined,
  ): void {
    const subscribers = this.hub.subscribers(channel);
    if (!subscribers) return;
    this.metrics.publications.inc();
    const channelId = this.hub.existingChannelId(channel) ?? 0;
    // Stream publications carry their epoch to clients, as Centrifugo's do.
    const stamped = position.epoch ? { ...pub, epoch: position.epoch } : pub;
    const frames = new PublicationFrames(channel, stamped, position.epoch, useDelta ? prevPub : undefined, channelId);
    for (const session of subscribers) session.deliverPublication(channel, frames);
  }

  handleJoin(channel: string, info: ClientInfo): void {
    this.deliverJoinLeave(channel, { join: { info } });
  }

  handleLeave(channel: string, info: ClientInfo): void {
    this.deliverJoinLeave(channel, { leave: { info } });
  }

  /**
   * Publications of these channels may have been lost (a Redis shard reconnected, or the channel moved to
   * another shard): every subscriber that tracks the stream position is told to recover.
   */
  handleInterrupted(channels: readonly string[]): void {
    for (const channel of channels) {
      const subscribers = this.hub.subscribers(channel);
      if (!subscribers) continue;
      for (const session of [...subscribers]) session.insufficientState(channel);
    }
  }

  /** One encoding per codec and form (channel name, or compaction id), shared by every subscriber. */
  private deliverJoinLeave(channel: string, event: Pick<Push, 'join' | 'leave'>): void {
    const subscribers = this.hub.subscribers(channel);
    if (!subscribers) return;
    const channelId = this.hub.existingChannelId(channel) ?? 0;
    const byName: Reply = { push: { channel, ...event } };
    const byId: Reply = { push: { id: channelId, ...event } };
    const frames: [Map<Codec, EncodedFrame>, Map<Codec, EncodedFrame>] = [new Map(), new Map()];
    for (const session of subscribers) {
      const sub = session.subscriptions.get(channel);
      if (!sub?.pushJoinLeave) continue;
      const useId = sub.useId && channelId > 0 ? 1 : 0;
      const codec = session.codec;
      let frame = frames[useId].get(codec);
      if (frame === undefined) frames[useId].set(codec, (frame = codec.encodeReply(useId ? byId : byName)));
      session.deliver(channel, frame);
    }
  }
}

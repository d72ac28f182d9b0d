import type { BrokerEventHandler } from '../../src/engine/broker.js';
import type { Metrics } from '../../src/observability/metrics.js';
import type { ClientInfo, Publication, Reply, StreamPosition } from '../../src/protocol/client-protocol.js';
import type { Codec, EncodedFrame } from '../../src/protocol/codec.js';
import type { Hub } from '../hub/hub.js';
import { PublicationFrames } from './publication-frames.js';

/**
 * Delivers broker events to local subscribers. Each event is encoded at most once per protocol (and delta
 * form) and the same frame object goes to every subscriber that needs it; no per-socket encoding.
 */
export class Fanout implements BrokerEventHandler {
  constructor(
    private readonly hub: Hub,
    private readonly json: Codec,
    private readonly protobuf: Codec,
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
    const frames = new PublicationFrames(channel, pub, position.epoch, useDelta ? prevPub : undefined);
    for (const session of subscribers) session.deliverPublication(channel, frames);
  }

  handleJoin(channel: string, info: ClientInfo): void {
    this.deliverJoinLeave(channel, { push: { channel, join: { info } } });
  }

  handleLeave(channel: string, info: ClientInfo): void {
    this.deliverJoinLeave(channel, { push: { channel, leave: { info } } });
  }

  private deliverJoinLeave(channel: string, push: Reply): void {
    const subscribers = this.hub.subscribers(channel);
    if (!subscribers) return;
    let jsonFrame: EncodedFrame | undefined;
    let protobufFrame: EncodedFrame | undefined;
    // Other codecs (the unidirectional one sends bare pushes): still one encoding per codec.
    let otherFrames: Map<Codec, EncodedFrame> | undefined;
    for (const session of subscribers) {
      if (!session.subscriptions.get(channel)?.pushJoinLeave) continue;
      const codec = session.codec;
      if (codec === this.json) session.deliver(channel, (jsonFrame ??= this.json.encodeReply(push)));
      else if (codec === this.protobuf) session.deliver(channel, (protobufFrame ??= this.protobuf.encodeReply(push)));
      else {
        otherFrames ??= new Map();
        let frame = otherFrames.get(codec);
        if (frame === undefined) otherFrames.set(codec, (frame = codec.encodeReply(push)));
        session.deliver(channel, frame);
      }
    }
  }
}

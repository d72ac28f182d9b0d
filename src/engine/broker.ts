import type { Bytes, ClientInfo, Publication, StreamPosition } from '../protocol/client-protocol.js';

export interface PublishOptions {
  /** The publisher, when a client published. */
  info?: ClientInfo;
  tags?: Record<string, string>;
}

/** What a broker hands to its node: publications and join/leave events of channels the node subscribed to. */
export interface BrokerEventHandler {
  handlePublication(channel: string, pub: Publication): void;
  handleJoin(channel: string, info: ClientInfo): void;
  handleLeave(channel: string, info: ClientInfo): void;
}

/**
 * Moves publications between publishers and the nodes whose clients subscribe. The memory broker is one
 * process; the Redis broker spreads channels over a ring of shards. A node subscribes a channel when its
 * first local client subscribes and unsubscribes it when the last one leaves.
 */
export interface Broker {
  /** Starts delivering events of subscribed channels to `handler`. */
  run(handler: BrokerEventHandler): Promise<void>;
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** Publishes to every node subscribed to `channel`; resolves with the stream position (empty without history). */
  publish(channel: string, data: Bytes, options: PublishOptions): Promise<StreamPosition>;
  publishJoin(channel: string, info: ClientInfo): Promise<void>;
  publishLeave(channel: string, info: ClientInfo): Promise<void>;
  close(): Promise<void>;
}

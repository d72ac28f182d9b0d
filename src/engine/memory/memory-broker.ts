import type { Broker, BrokerEventHandler, PublishOptions } from '../broker.js';
import type { Bytes, ClientInfo, Publication, StreamPosition } from '../../protocol/client-protocol.js';

const noPosition: StreamPosition = { offset: 0, epoch: '' };

/**
 * The embedded engine: one process is the whole cluster, so a publish is handed straight to the node's
 * handler. Channels without local subscribers cost nothing.
 */
export class MemoryBroker implements Broker {
  private handler: BrokerEventHandler | undefined;
  private readonly subscribed = new Set<string>();

  async run(handler: BrokerEventHandler): Promise<void> {
    this.handler = handler;
  }

  async subscribe(channel: string): Promise<void> {
    this.subscribed.add(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.subscribed.delete(channel);
  }

  async publish(channel: string, data: Bytes, options: PublishOptions): Promise<StreamPosition> {
    if (this.handler && this.subscribed.has(channel)) {
      const pub: Publication = { data };
      if (options.info) pub.info = options.info;
      if (options.tags && Object.keys(options.tags).length > 0) pub.tags = options.tags;
      this.handler.handlePublication(channel, pub);
    }
    return noPosition;
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    if (this.handler && this.subscribed.has(channel)) this.handler.handleJoin(channel, info);
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    if (this.handler && this.subscribed.has(channel)) this.handler.handleLeave(channel, info);
  }

  async close(): Promise<void> {
    this.handler = undefined;
    this.subscribed.clear();
  }
}

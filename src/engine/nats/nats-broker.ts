import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { Bytes, ClientInfo, Publication, StreamPosition } from '../../protocol/client-protocol.js';
import {
  decodeBrokerPush,
  encodeJoinPush,
  encodeLeavePush,
  encodePublicationPush,
} from '../../protocol/protobuf-broker-push.js';
import type {
  Broker,
  BrokerEventHandler,
  HistoryOptions,
  HistorySlice,
  PublishOptions,
  PublishOutcome,
} from '../broker.js';
import { NotAvailableError } from '../not-available-error.js';
import type { NatsLink } from './nats-connection.js';
import type { NatsSubjects } from './nats-subjects.js';

/** The tag Centrifugo's NATS broker uses to carry a stream epoch beside a publication's offset. */
const epochTag = '__centrifugo_epoch';

const noPosition: StreamPosition = Object.freeze({ offset: 0, epoch: '' });

/**
 * At-most-once PUB/SUB over NATS, framed as Centrifugo's NATS broker frames it (a protobuf Push on
 * `<prefix>.client.<channel>`), so Ringcast and Centrifugo nodes on one NATS server deliver to each other's
 * subscribers. NATS keeps nothing: history, recovery and positioning are not available (108). Publications of a
 * channel arrive in publish order per publishing node; a publication sent while a node is cut off from NATS is
 * lost for it, and its positioned subscribers (none without history) would be told to recover. Idempotency
 * keys are ignored, as by Centrifugo's NATS broker: there is no shared store to remember them in.
 */
export class NatsBroker implements Broker {
  private handler: BrokerEventHandler | undefined;
  private readonly subscriptions = new Map<string, Subscription>();
  private nextFlush: Promise<void> | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly subjects: NatsSubjects,
    private readonly logger: Logger,
  ) {}

  async run(handler: BrokerEventHandler): Promise<void> {
    this.handler = handler;
  }

  async subscribe(channel: string): Promise<void> {
    const subject = this.subjects.client(channel);
    if (this.subscriptions.has(channel)) return this.flushSoon();
    const connection = this.link.current();
    const subscription = connection.subscribe(subject, {
      callback: (err, msg) => {
        if (!err) this.receive(channel, msg);
      },
    });
    this.subscriptions.set(channel, subscription);
    try {
      // Once the server has seen the SUB, a publish from any node reaches this one.
      await this.flushSoon();
    } catch (err) {
      if (this.subscriptions.get(channel) === subscription) {
        this.subscriptions.delete(channel);
        subscription.unsubscribe();
      }
      throw err;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    const subscription = this.subscriptions.get(channel);
    if (!subscription) return;
    this.subscriptions.delete(channel);
    if (!subscription.isClosed()) subscription.unsubscribe();
  }

  /** One PING for every SUB written in the same tick. */
  private flushSoon(): Promise<void> {
    if (!this.nextFlush) {
      this.nextFlush = Promise.resolve().then(() => {
        this.nextFlush = undefined;
        return this.link.flush();
      });
    }
    return this.nextFlush;
  }

  async publish(channel: string, data: Bytes, options: PublishOptions): Promise<PublishOutcome> {
    const subject = this.subjects.client(channel);
    const connection = this.link.current();
    const pub: Publication = { data, time: Date.now() };
    if (options.info) pub.info = options.info;
    if (options.tags && Object.keys(options.tags).length > 0) pub.tags = options.tags;
    if (options.useDelta) pub.delta = true;
    connection.publish(subject, encodePublicationPush(channel, pub));
    return { offset: 0, epoch: '', suppressed: false };
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    this.send(channel, encodeJoinPush(channel, info));
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    this.send(channel, encodeLeavePush(channel, info));
  }

  private send(channel: string, payload: Uint8Array): void {
    const subject = this.subjects.client(channel);
    this.link.current().publish(subject, payload);
  }

  async history(_channel: string, _options: HistoryOptions): Promise<HistorySlice> {
    throw new NotAvailableError('the NATS broker keeps no history');
  }

  async removeHistory(_channel: string): Promise<void> {
    throw new NotAvailableError('the NATS broker keeps no history');
  }

  /** NATS is back (nats.js resubscribed): publications sent meanwhile are lost, so subscribers must know. */
  reconnected(_connection: NatsConnection): void {
    const channels = [...this.subscriptions.keys()];
    if (channels.length > 0) this.handler?.handleInterrupted(channels);
  }

  private receive(channel: string, msg: Msg): void {
    const handler = this.handler;
    if (!handler || !this.subscriptions.has(channel)) return;
    let push;
    try {
      push = decodeBrokerPush(msg.data);
    } catch (err) {
      this.logger.warn(
        { subject: msg.subject, bytes: msg.data.length, err: err instanceof Error ? err.message : String(err) },
        'skipped a malformed NATS message',
      );
      return;
    }
    try {
      if (push.kind === 'publication') {
        const { pub, delta } = push.publication;
        let position = noPosition;
        const epoch = pub.tags?.[epochTag];
        if (pub.tags && epoch !== undefined) {
          delete pub.tags[epochTag];
          if (Object.keys(pub.tags).length === 0) delete pub.tags;
          if ((pub.offset ?? 0) > 0) position = { offset: pub.offset!, epoch };
        }
        handler.handlePublication(channel, pub, position, delta, undefined);
      } else if (push.kind === 'join') {
        handler.handleJoin(channel, push.info);
      } else {
        handler.handleLeave(channel, push.info);
      }
    } catch (err) {
      this.logger.error({ channel, err }, 'delivering a NATS message failed');
    }
  }

  async close(): Promise<void> {
    this.handler = undefined;
    for (const subscription of this.subscriptions.values()) if (!subscription.isClosed()) subscription.unsubscribe();
    this.subscriptions.clear();
  }
}

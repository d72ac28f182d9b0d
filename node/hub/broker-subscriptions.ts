import type { Logger } from 'pino';
import type { Broker } from '../../src/engine/broker.js';
import type { Hub } from './hub.js';
import type { HubMember } from './hub-member.js';

/**
 * Keeps the broker subscribed to exactly the channels that have local subscribers. A subscriber arriving while
 * the channel's broker subscription is still in flight waits for it, so nobody is told "subscribed" early.
 */
export class BrokerSubscriptions<Session extends HubMember> {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly hub: Hub<Session>,
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {}

  async join(channel: string, session: Session): Promise<void> {
    if (this.hub.addSubscriber(channel, session)) {
      const subscribing = this.broker.subscribe(channel);
      this.inflight.set(channel, subscribing);
      try {
        await subscribing;
      } catch (err) {
        this.hub.removeSubscriber(channel, session);
        throw err;
      } finally {
        this.inflight.delete(channel);
      }
      return;
    }
    const subscribing = this.inflight.get(channel);
    if (subscribing) await subscribing;
  }

  leave(channel: string, session: Session): void {
    if (!this.hub.removeSubscriber(channel, session)) return;
    this.broker.unsubscribe(channel).catch((err: unknown) => {
      this.logger.warn({ channel, err }, 'broker unsubscribe failed');
    });
  }
}

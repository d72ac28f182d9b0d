import type { UnsubscribePush } from '../../src/protocol/client-protocol.js';
import type { Session } from './session.js';

/** Ends one subscription: hub and broker bookkeeping, leave event, and optionally an unsubscribe push. */
export function removeSubscription(session: Session, channel: string, push?: UnsubscribePush): boolean {
  const sub = session.subscriptions.get(channel);
  if (!sub) return false;
  session.subscriptions.delete(channel);
  const ctx = session.ctx;
  ctx.brokerSubs.leave(channel, session);
  if (sub.announceJoinLeave) {
    ctx.broker.publishLeave(channel, session.clientInfo(sub.chanInfo)).catch((err: unknown) => {
      ctx.logger.warn({ channel, err }, 'leave event failed');
    });
  }
  if (push) session.reply({ push: { channel, unsubscribe: push } });
  if (sub.expireAt > 0) session.scheduleSubExpiryCheck();
  return true;
}

/** Ends every subscription of a closing session without pushes. */
export function releaseSubscriptions(session: Session): void {
  for (const channel of [...session.subscriptions.keys()]) removeSubscription(session, channel);
}

import type { UnsubscribePush } from '../../src/protocol/client-protocol.js';
import type { ChannelSubscription } from './channel-subscription.js';
import type { Session } from './session.js';

/** Ends one subscription: hub and broker bookkeeping, presence, leave event, and optionally a push. */
export function removeSubscription(session: Session, channel: string, push?: UnsubscribePush): boolean {
  const sub = session.subscriptions.get(channel);
  if (!sub) return false;
  session.subscriptions.delete(channel);
  const ctx = session.ctx;
  ctx.brokerSubs.leave(channel, session);
  if (sub.inPresence) {
    ctx.presence.removePresence(channel, session.clientId, session.user).catch((err: unknown) => {
      ctx.logger.warn({ channel, err }, 'presence removal failed');
    });
  }
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

/** Puts a subscription into its channel's presence set (when the namespace keeps presence). */
export async function enterPresence(session: Session, sub: ChannelSubscription): Promise<void> {
  if (!sub.emitPresence) return;
  const ctx = session.ctx;
  await ctx.presence.addPresence(sub.channel, session.clientId, session.clientInfo(sub.chanInfo), ctx.client.presenceTtlMs);
  sub.inPresence = true;
}

/** Re-announces every presence entry of a session before its TTL runs out. */
export function refreshPresence(session: Session): void {
  const ctx = session.ctx;
  for (const sub of session.subscriptions.values()) {
    if (!sub.inPresence) continue;
    ctx.presence
      .addPresence(sub.channel, session.clientId, session.clientInfo(sub.chanInfo), ctx.client.presenceTtlMs)
      .catch((err: unknown) => ctx.logger.warn({ channel: sub.channel, err }, 'presence refresh failed'));
  }
}

import type { SubscribeResult } from '../../../src/protocol/client-protocol.js';
import type { ChannelSubscription } from '../channel-subscription.js';
import type { Session } from '../session.js';

/**
 * Subscribes a session to a channel chosen by the server (token claims or the server API): no permission
 * checks, the namespace must exist. Publications are held until the caller has sent the result or push.
 */
export async function subscribeServerSide(session: Session, channel: string): Promise<SubscribeResult | null> {
  const ctx = session.ctx;
  if (session.subscriptions.has(channel)) return null;
  const options = ctx.channels.resolve(channel);
  if (!options) {
    ctx.logger.warn({ client: session.clientId, channel }, 'server-side subscription to unknown namespace skipped');
    return null;
  }
  const sub: ChannelSubscription = {
    channel,
    options,
    held: [],
    expireAt: 0,
    chanInfo: undefined,
    pushJoinLeave: options.join_leave,
    announceJoinLeave: options.join_leave,
  };
  session.subscriptions.set(channel, sub);
  try {
    await ctx.brokerSubs.join(channel, session);
  } catch (err) {
    session.subscriptions.delete(channel);
    ctx.logger.warn({ client: session.clientId, channel, err }, 'server-side subscription failed');
    return null;
  }
  if (sub.announceJoinLeave) void ctx.broker.publishJoin(channel, session.clientInfo()).catch(() => undefined);
  return {};
}

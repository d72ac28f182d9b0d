import { ChannelNotSupportedError } from '../../src/engine/channel-not-supported-error.js';
import type { SubscribeResult } from '../../src/protocol/client-protocol.js';
import type { ChannelSubscription } from './channel-subscription.js';
import type { Session } from './session.js';
import { establishPosition, type PositionRequest } from './subscribe-position.js';
import { enterPresence, removeSubscription } from './subscription-ops.js';

/**
 * Brings a prepared subscription to life: registers it for live publications first and only then reads the
 * stream position (so nothing published in between is lost), enters presence, announces the join.
 * On failure everything is undone: 'unrecoverable' when the client asked for 112, 'failed' on engine errors,
 * 'unsupported' for a channel name the engine cannot carry (107).
 */
export async function activateSubscription(
  session: Session,
  sub: ChannelSubscription,
  recoverable: boolean,
  position: PositionRequest,
): Promise<SubscribeResult | 'unrecoverable' | 'failed' | 'unsupported'> {
  const ctx = session.ctx;
  session.subscriptions.set(sub.channel, sub);
  let result: SubscribeResult = {};
  try {
    await ctx.brokerSubs.join(sub.channel, session);
    if (sub.positioned && !session.closed) {
      const outcome = await establishPosition(session, sub, recoverable, position);
      if (!outcome.ok) {
        removeSubscription(session, sub.channel);
        return 'unrecoverable';
      }
      result = outcome.result;
    }
    await enterPresence(session, sub);
  } catch (err) {
    removeSubscription(session, sub.channel);
    if (err instanceof ChannelNotSupportedError) return 'unsupported';
    ctx.logger.warn({ client: session.clientId, channel: sub.channel, err }, 'subscription failed in the engine');
    return 'failed';
  }
  if (sub.emitJoinLeave && !session.closed) {
    sub.announceJoinLeave = true;
    ctx.broker.publishJoin(sub.channel, session.clientInfo(sub.chanInfo)).catch((err: unknown) => {
      ctx.logger.warn({ channel: sub.channel, err }, 'join event failed');
    });
  }
  return result;
}

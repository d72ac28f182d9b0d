import type { SubscribeRequest, SubscribeResult } from '../../../src/protocol/client-protocol.js';
import { historyEnabled } from '../channel-history.js';
import type { ChannelSubscription } from '../channel-subscription.js';
import type { Session } from '../session.js';
import { activateSubscription } from '../activate-subscription.js';

/**
 * Subscribes a session to a channel chosen by the server (token claims or the server API): no permission
 * checks, the namespace must exist. A reconnecting client may ask to recover it (connect's `subs` map).
 * Publications are held until the caller has sent the result or push, then released with `releaseHeld`.
 */
export async function subscribeServerSide(
  session: Session,
  channel: string,
  recovery?: SubscribeRequest,
): Promise<SubscribeResult | null> {
  const ctx = session.ctx;
  if (session.subscriptions.has(channel)) return null;
  const options = ctx.channels.resolve(channel);
  if (!options) {
    ctx.logger.warn({ client: session.clientId, channel }, 'server-side subscription to unknown namespace skipped');
    return null;
  }
  const history = historyEnabled(options);
  const recoverable = history && (options.force_recovery || options.allow_recovery);
  const positioned = history && (recoverable || options.force_positioning || options.allow_positioning);
  const sub: ChannelSubscription = {
    channel,
    options,
    held: [],
    expireAt: 0,
    chanInfo: undefined,
    pushJoinLeave: options.join_leave,
    announceJoinLeave: false,
    inPresence: false,
    positioned,
    offset: 0,
    epoch: '',
    delta: false,
  };
  const result = await activateSubscription(session, sub, recoverable, {
    recover: recovery?.recover === true,
    since: { offset: recovery?.offset ?? 0, epoch: recovery?.epoch ?? '' },
    rejectUnrecoverable: false,
  });
  if (result === 'unrecoverable' || result === 'failed') return null;
  return result;
}

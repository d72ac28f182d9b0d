import type { Bytes, SubscribeRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import type { ChannelSubscription } from '../channel-subscription.js';
import { historyEnabled } from '../channel-history.js';
import { canSubscribeWithoutToken } from '../permissions.js';
import type { Session } from '../session.js';
import { activateSubscription } from '../activate-subscription.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** subscribe: checks limits and permissions (or a subscription token), then joins the channel. */
export async function handleSubscribe(session: Session, id: number, req: SubscribeRequest): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  if (!channel) return session.close(disconnect(DisconnectCode.badRequest, 'channel required'));
  if (!ctx.channels.validName(channel)) return session.replyError(id, 'subscribe', ErrorCode.badRequest);
  if (session.subscriptions.has(channel)) return session.replyError(id, 'subscribe', ErrorCode.alreadySubscribed);
  if (ctx.client.channelLimit > 0 && session.subscriptions.size >= ctx.client.channelLimit) {
    return session.close(disconnect(DisconnectCode.channelLimit));
  }
  const options = ctx.channels.resolve(channel);
  if (!options) return session.replyError(id, 'subscribe', ErrorCode.unknownChannel);

  let expireAt = 0;
  let chanInfo: Bytes | undefined;
  if (req.token) {
    const check = await ctx.tokens.verifySubscriptionToken(req.token);
    if (session.closed) return;
    if (!check.ok) {
      ctx.logger.info({ client: session.clientId, channel, reason: check.message }, 'subscription token rejected');
      if (check.reason === 'expired') return session.replyError(id, 'subscribe', ErrorCode.tokenExpired);
      if (check.reason === 'unavailable') return session.replyError(id, 'subscribe', ErrorCode.internal);
      return session.close(disconnect(DisconnectCode.invalidToken));
    }
    if (check.claims.channel !== channel || check.claims.sub !== session.user) {
      ctx.logger.info({ client: session.clientId, channel }, 'subscription token is for another channel or user');
      return session.close(disconnect(DisconnectCode.invalidToken));
    }
    expireAt = expiryFromClaims(check.claims);
    chanInfo = check.claims.info;
    if (expireAt > 0 && expireAt <= ctx.clock.now()) return session.replyError(id, 'subscribe', ErrorCode.tokenExpired);
    // The channel may have been subscribed while the token was checked (pipelined duplicate).
    if (session.subscriptions.has(channel)) return session.replyError(id, 'subscribe', ErrorCode.alreadySubscribed);
  } else if (!ctx.client.insecure && !canSubscribeWithoutToken(ctx.channels, options, channel, session.user)) {
    return session.replyError(id, 'subscribe', ErrorCode.permissionDenied);
  }

  if (req.delta && (req.delta !== 'fossil' || !options.allowed_delta_types.includes('fossil'))) {
    return session.replyError(id, 'subscribe', ErrorCode.badRequest);
  }
  const history = historyEnabled(options);
  const recoverable = history && (options.force_recovery || (options.allow_recovery && req.recoverable === true));
  const positioned =
    history && (recoverable || options.force_positioning || (options.allow_positioning && req.positioned === true));

  const sub: ChannelSubscription = {
    channel,
    options,
    held: [],
    expireAt,
    chanInfo,
    pushJoinLeave: options.join_leave && (req.join_leave === true || options.force_push_join_leave),
    announceJoinLeave: false,
    inPresence: false,
    positioned,
    offset: 0,
    epoch: '',
    delta: req.delta === 'fossil',
  };
  const result = await activateSubscription(session, sub, recoverable, {
    recover: req.recover === true,
    since: { offset: req.offset ?? 0, epoch: req.epoch ?? '' },
    rejectUnrecoverable: ((req.flag ?? 0) & 2) !== 0,
  });
  if (result === 'unrecoverable') return session.replyError(id, 'subscribe', ErrorCode.unrecoverablePosition);
  if (result === 'failed') return session.replyError(id, 'subscribe', ErrorCode.internal);
  if (session.closed) return;

  if (sub.delta) result.delta = true;
  if (expireAt > 0) {
    result.expires = true;
    result.ttl = ttlSeconds(expireAt, ctx.clock.now());
    session.scheduleSubExpiryCheck();
  }
  session.reply({ id, subscribe: result });
  session.releaseHeld(channel);
}

import type { SubscribeRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import { activateSubscription } from '../activate-subscription.js';
import { createSubscription } from '../channel-subscription.js';
import { canRead, canSubscribeWithoutToken } from '../permissions.js';
import type { Session } from '../session.js';
import { applyOverride, namespaceSubscribeOptions, type SubscribeOptions } from '../subscribe-options.js';
import { subscribeByProxy } from './subscribe-proxy.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** SubscribeRequest.flag bits (Centrifuge's subscription flags). */
const flagChannelCompaction = 1;
const flagRejectUnrecovered = 2;

/**
 * subscribe: the checks of Centrifugo's subscribe path in its order — name length (107), duplicate (105),
 * channel limit (106), namespace (102), name rules (107), private channel without token (103), then the token
 * (bad: 103, expired: 109, for another channel, user or client: 3500), the user-limited rule, the namespace's
 * subscribe proxy, or the namespace's permissions (103).
 */
export async function handleSubscribe(session: Session, id: number, req: SubscribeRequest): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  if (!channel) return session.badRequest('channel required');
  if (req.delta && req.delta !== 'fossil') return session.badRequest('unknown delta type');
  if (ctx.channels.tooLong(channel)) return session.replyError(id, 'subscribe', ErrorCode.badRequest);
  if (session.subscriptions.has(channel) || session.subscribing.has(channel)) {
    return session.replyError(id, 'subscribe', ErrorCode.alreadySubscribed);
  }
  if (ctx.client.channelLimit > 0 && session.subscriptions.size + session.subscribing.size >= ctx.client.channelLimit) {
    return session.replyError(id, 'subscribe', ErrorCode.limitExceeded);
  }
  session.subscribing.add(channel);
  try {
    await subscribeChecked(session, id, req);
  } finally {
    session.subscribing.delete(channel);
  }
}

async function subscribeChecked(session: Session, id: number, req: SubscribeRequest): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  const namespace = ctx.channels.resolve(channel);
  if (!namespace) return session.replyError(id, 'subscribe', ErrorCode.unknownChannel);
  if (!ctx.channels.validName(channel)) return session.replyError(id, 'subscribe', ErrorCode.badRequest);
  const isPrivate = ctx.channels.isPrivate(channel);
  if (isPrivate && !req.token) return session.replyError(id, 'subscribe', ErrorCode.permissionDenied);

  let options: SubscribeOptions;
  /** A subscribe proxy decided: the client's own positioned/recoverable/join_leave wishes do not apply. */
  let proxied = false;
  if (req.token) {
    const check = await ctx.tokens.verifySubscriptionToken(req.token);
    if (session.closed) return;
    if (!check.ok) {
      ctx.logger.info({ client: session.clientId, channel, reason: check.message }, 'subscription token rejected');
      if (check.reason === 'expired') return session.replyError(id, 'subscribe', ErrorCode.tokenExpired);
      if (check.reason === 'unavailable') return session.replyError(id, 'subscribe', ErrorCode.internal);
      return session.replyError(id, 'subscribe', ErrorCode.permissionDenied);
    }
    const claims = check.claims;
    // The token's channel must have a known namespace too (Centrifugo checks it while verifying: 102).
    if (!ctx.channels.resolve(claims.channel)) return session.replyError(id, 'subscribe', ErrorCode.unknownChannel);
    if (claims.channel !== channel || claims.sub !== session.user || (claims.client && claims.client !== session.clientId)) {
      ctx.logger.info({ client: session.clientId, channel }, 'subscription token is for another channel, user or client');
      return session.close(disconnect(DisconnectCode.invalidToken));
    }
    options = applyOverride(namespaceSubscribeOptions(namespace), claims.override);
    options.expireAt = expiryFromClaims(claims);
    options.chanInfo = claims.info;
    options.data = claims.data;
  } else if (namespace.subscribe_proxy_enabled && !(namespace.allow_user_limited_channels && ctx.channels.isUserLimited(channel))) {
    // The backend decides (after a token and the user-limited rule, before the namespace's permissions).
    const decided = await subscribeByProxy(session, req, namespace);
    if (decided.type === 'closed') return;
    if (decided.type === 'disconnect') return session.close(decided.disconnect);
    if (decided.type === 'error') return session.replyError(id, 'subscribe', decided.error);
    options = decided.options;
    proxied = true;
  } else if (ctx.client.insecure || canSubscribeWithoutToken(ctx.channels, namespace, channel, session.user)) {
    options = namespaceSubscribeOptions(namespace);
  } else {
    return session.replyError(id, 'subscribe', ErrorCode.permissionDenied);
  }

  if (!proxied) {
    // What the client asks for on top, where the namespace allows it or the client may read history/presence.
    const insecure = ctx.client.insecure;
    const historyAccess = insecure || canRead('history', namespace, session.user, true);
    if (req.positioned && (namespace.allow_positioning || historyAccess)) options.positioning = true;
    if (req.recoverable && (namespace.allow_recovery || historyAccess)) options.recovery = true;
    if (req.join_leave && namespace.join_leave && (insecure || canRead('presence', namespace, session.user, true))) {
      options.pushJoinLeave = true;
    }
  }
  // With a sub_refresh proxy the server refreshes the subscription at its expiry; the client is not told it expires.
  const serverSideRefresh = namespace.sub_refresh_proxy_enabled;

  const now = ctx.clock.now();
  if (options.expireAt > 0 && options.expireAt <= now) return session.replyError(id, 'subscribe', ErrorCode.expired);

  const flag = req.flag ?? 0;
  const sub = createSubscription(channel, namespace, options, {
    delta: req.delta === 'fossil' && namespace.allowed_delta_types.includes('fossil'),
    // JSON connections only: centrifuge-js's protobuf build reads 64-bit ids as Long objects and matches pushes to
    // subscriptions by identity, so a compacted push would never find its subscription there.
    useId: ctx.client.allowChannelCompaction && (flag & flagChannelCompaction) !== 0 && !session.codec.binary,
    serverSide: false,
    serverSideRefresh,
  });
  const result = await activateSubscription(session, sub, options.recovery, {
    recover: req.recover === true,
    since: { offset: req.offset ?? 0, epoch: req.epoch ?? '' },
    rejectUnrecoverable: (flag & flagRejectUnrecovered) !== 0,
  });
  if (result === 'unrecoverable') return session.replyError(id, 'subscribe', ErrorCode.unrecoverablePosition);
  if (result === 'failed') return session.replyError(id, 'subscribe', ErrorCode.internal);
  if (result === 'unsupported') return session.replyError(id, 'subscribe', ErrorCode.badRequest);
  if (session.closed) return;

  if (sub.delta) result.delta = true;
  if (req.recover) result.was_recovering = true;
  if (options.data) result.data = options.data;
  if (sub.useId) result.id = ctx.hub.channelId(channel);
  if (options.expireAt > 0) {
    if (!serverSideRefresh) {
      result.expires = true;
      result.ttl = ttlSeconds(options.expireAt, now);
    }
    session.scheduleSubExpiryCheck();
  }
  session.reply({ id, subscribe: result });
  session.releaseHeld(channel);
}

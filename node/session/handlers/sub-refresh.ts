import type { SubRefreshRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import type { Session } from '../session.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/**
 * sub_refresh: a new subscription token extends one subscription's life and replaces its channel info, with
 * Centrifugo's answers: not subscribed 103, empty token 107, bad token or one for another channel, user or
 * client 3500, an `expire_at` already past 110. An expired token answers 109 (Centrifugo 6.9.1 answers `{}` and
 * drops the subscription's expiry; Ringcast does not let an expired token extend a subscription).
 */
export async function handleSubRefresh(session: Session, id: number, req: SubRefreshRequest): Promise<void> {
  const ctx = session.ctx;
  if (!req.channel) return session.badRequest('sub_refresh without a channel');
  const subscribed = session.subscriptions.get(req.channel);
  if (!subscribed) return session.replyError(id, 'sub_refresh', ErrorCode.permissionDenied);
  // A namespace with a sub_refresh proxy is refreshed by the server (Centrifugo: server-side sub refresh expected).
  if (subscribed.serverSideRefresh) return session.badRequest('server-side sub refresh expected');
  if (!req.token) return session.replyError(id, 'sub_refresh', ErrorCode.badRequest);
  const check = await ctx.tokens.verifySubscriptionToken(req.token);
  if (session.closed) return;
  if (!check.ok) {
    if (check.reason === 'expired') return session.replyError(id, 'sub_refresh', ErrorCode.tokenExpired);
    if (check.reason === 'unavailable') return session.replyError(id, 'sub_refresh', ErrorCode.internal);
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  const claims = check.claims;
  if (claims.channel !== req.channel || claims.sub !== session.user || (claims.client && claims.client !== session.clientId)) {
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  const sub = session.subscriptions.get(req.channel);
  if (!sub) return session.replyError(id, 'sub_refresh', ErrorCode.permissionDenied);
  const now = ctx.clock.now();
  const expireAt = expiryFromClaims(claims);
  if (expireAt > 0 && expireAt <= now) return session.replyError(id, 'sub_refresh', ErrorCode.expired);
  sub.expireAt = expireAt;
  sub.chanInfo = claims.info;
  session.scheduleSubExpiryCheck();
  session.reply({ id, sub_refresh: expireAt > 0 ? { expires: true, ttl: ttlSeconds(expireAt, now) } : {} });
}

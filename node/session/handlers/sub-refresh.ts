import type { SubRefreshRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import type { Session } from '../session.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** sub_refresh: a new subscription token extends one subscription's life. */
export async function handleSubRefresh(session: Session, id: number, req: SubRefreshRequest): Promise<void> {
  const ctx = session.ctx;
  if (!req.channel || !req.token) return session.close(disconnect(DisconnectCode.badRequest));
  if (!session.subscriptions.has(req.channel)) return session.replyError(id, 'sub_refresh', ErrorCode.permissionDenied);
  const check = await ctx.tokens.verifySubscriptionToken(req.token);
  if (session.closed) return;
  if (!check.ok) {
    if (check.reason === 'expired') return session.replyError(id, 'sub_refresh', ErrorCode.tokenExpired);
    if (check.reason === 'unavailable') return session.replyError(id, 'sub_refresh', ErrorCode.internal);
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  if (check.claims.channel !== req.channel || check.claims.sub !== session.user) {
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  const sub = session.subscriptions.get(req.channel);
  if (!sub) return session.replyError(id, 'sub_refresh', ErrorCode.permissionDenied);
  const now = ctx.clock.now();
  const expireAt = expiryFromClaims(check.claims);
  if (expireAt > 0 && expireAt <= now) return session.replyError(id, 'sub_refresh', ErrorCode.tokenExpired);
  sub.expireAt = expireAt;
  session.scheduleSubExpiryCheck();
  session.reply({ id, sub_refresh: expireAt > 0 ? { expires: true, ttl: ttlSeconds(expireAt, now) } : {} });
}

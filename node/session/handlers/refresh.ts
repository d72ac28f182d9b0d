import type { RefreshRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import type { Session } from '../session.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** refresh: a new connection token for the same user extends the connection's life. */
export async function handleRefresh(session: Session, id: number, req: RefreshRequest): Promise<void> {
  const ctx = session.ctx;
  if (!req.token) return session.close(disconnect(DisconnectCode.badRequest, 'token required'));
  const check = await ctx.tokens.verifyConnectionToken(req.token);
  if (session.closed) return;
  if (!check.ok) {
    if (check.reason === 'expired') return session.replyError(id, 'refresh', ErrorCode.tokenExpired);
    if (check.reason === 'unavailable') return session.replyError(id, 'refresh', ErrorCode.internal);
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  if (check.claims.sub !== session.user) return session.close(disconnect(DisconnectCode.invalidToken));
  const now = ctx.clock.now();
  const expireAt = expiryFromClaims(check.claims);
  if (expireAt > 0 && expireAt <= now) return session.replyError(id, 'refresh', ErrorCode.tokenExpired);
  session.expireAt = expireAt;
  if (check.claims.info) session.connInfo = check.claims.info;
  session.scheduleExpiryCheck();
  const result = expireAt > 0
    ? { client: session.clientId, version: ctx.version, expires: true, ttl: ttlSeconds(expireAt, now) }
    : { client: session.clientId, version: ctx.version };
  session.reply({ id, refresh: result });
}

import type { RefreshRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import { tokenChannels } from '../connect-subscriptions.js';
import type { Session } from '../session.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** A channel the token names that the session lacks, or a token-made subscription the token no longer names. */
function tokenChannelsChanged(session: Session, channels: readonly string[]): boolean {
  const named = new Set(channels);
  for (const channel of named) if (!session.subscriptions.has(channel)) return true;
  for (const sub of session.subscriptions.values()) if (sub.fromConnectionToken && !named.has(sub.channel)) return true;
  return false;
}

/**
 * refresh: a new connection token for the same user, as Centrifugo handles it: an expired token closes with 3005,
 * a bad one or another user's with 3500; an `expire_at` already past answers 110. A token that does not expire
 * leaves the current expiry as it is (the reply says `expires: false`); one whose `channels`/`subs` differ from the
 * connection's token-made subscriptions closes with 3010 so the client reconnects and gets them.
 */
export async function handleRefresh(session: Session, id: number, req: RefreshRequest): Promise<void> {
  const ctx = session.ctx;
  if (!req.token) return session.badRequest('refresh without a token');
  // With a refresh proxy the server refreshes connections itself (Centrifugo: server-side refresh expected).
  if (session.serverSideRefresh) return session.badRequest('server-side refresh expected');
  const check = await ctx.tokens.verifyConnectionToken(req.token);
  if (session.closed) return;
  if (!check.ok) {
    if (check.reason === 'expired') return session.close(disconnect(DisconnectCode.expired));
    if (check.reason === 'unavailable') return session.replyError(id, 'refresh', ErrorCode.internal);
    return session.close(disconnect(DisconnectCode.invalidToken));
  }
  if (check.claims.sub !== session.user) return session.close(disconnect(DisconnectCode.invalidToken));
  // Centrifugo's refresh handler: when the token's server-side channels changed, the client must reconnect to get
  // them (3010 insufficient state).
  if (tokenChannelsChanged(session, tokenChannels(check.claims))) return session.close(disconnect(DisconnectCode.insufficientState));
  if (check.claims.meta) session.meta = check.claims.meta;
  const now = ctx.clock.now();
  const expireAt = expiryFromClaims(check.claims);
  if (expireAt === 0) return session.reply({ id, refresh: {} });
  if (expireAt <= now) return session.replyError(id, 'refresh', ErrorCode.expired);
  session.expireAt = expireAt;
  if (check.claims.info) session.connInfo = check.claims.info;
  session.scheduleExpiryCheck();
  session.reply({ id, refresh: { expires: true, ttl: ttlSeconds(expireAt, now) } });
}

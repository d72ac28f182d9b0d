import { DisconnectCode, UnsubscribeCode, disconnect } from '../../src/protocol/codes.js';
import { refreshResult, subRefreshResult } from '../../src/proxy/proxy-results.js';
import type { ChannelSubscription } from './channel-subscription.js';
import { callContext, requestBase } from './proxy-call.js';
import type { Session } from './session.js';
import { removeSubscription } from './subscription-ops.js';

/** Centrifugo's cap on a connection or subscription lifetime (a year); longer is treated as a year. */
const maxTtlMs = 365 * 24 * 3600 * 1000;
/** When the backend cannot answer a refresh, the connection or subscription lives this much longer, then asks again. */
const retryAfterBackendFailureMs = 60_000;

/** An expiry the backend gave in Unix seconds, as ms since the epoch, capped a year ahead; 0 stays 0 (never). */
function expiryMs(expireAtSeconds: number, now: number): number {
  if (expireAtSeconds <= 0) return 0;
  return Math.min(expireAtSeconds * 1000, now + maxTtlMs);
}

/**
 * Server-side refresh of a connection at its expiry through the refresh proxy, as Centrifugo's refresh handler and
 * centrifuge's expire(): a new `expire_at` extends it (and replaces its info and meta), `expired` or an answer
 * without a result closes it with 3005, and a backend that cannot be asked gives it another minute.
 */
export async function refreshConnectionByProxy(session: Session): Promise<void> {
  const ctx = session.ctx;
  const binding = ctx.proxies.refresh;
  if (!binding || session.refreshing || session.closed) return;
  session.refreshing = true;
  try {
    const request = { ...requestBase(session, binding), user: session.user, meta: binding.meta(session.meta) };
    const answer = await binding.call(request, callContext(session), refreshResult);
    if (session.closed) return;
    const now = ctx.clock.now();
    if (answer === null) {
      session.expireAt = now + retryAfterBackendFailureMs;
    } else {
      const result = answer.type === 'result' ? answer.result : undefined;
      if (!result || result.expired) {
        // Centrifugo's refresh handler acts on the result only: an error or disconnect answer expires the connection.
        if (!result) ctx.logger.info({ client: session.clientId, user: session.user, answer: answer.type }, 'refresh proxy answered without a result: connection expired');
        return session.close(disconnect(DisconnectCode.expired));
      }
      if (result.meta) session.meta = result.meta;
      const expireAt = expiryMs(result.expireAt, now);
      if (expireAt > 0) {
        session.expireAt = expireAt;
        if (result.info) session.connInfo = result.info;
      }
      if (session.expireAt <= now) return session.close(disconnect(DisconnectCode.expired));
    }
  } finally {
    session.refreshing = false;
  }
  session.scheduleExpiryCheck();
}

/**
 * Server-side refresh of a subscription past its expiry through its namespace's sub_refresh proxy, as Centrifugo's
 * sub refresh handler and centrifuge's checkSubscriptionExpiration: a new `expire_at` extends it (0: it no longer
 * expires) and replaces its channel info; `expired`, an expiry already past, or an answer without a result ends it
 * (unsubscribe 2501); a backend that cannot be asked gives it another minute.
 */
export async function refreshSubscriptionByProxy(session: Session, sub: ChannelSubscription): Promise<void> {
  const ctx = session.ctx;
  const binding = ctx.proxies.channel('sub_refresh', sub.options);
  const expire = (): void => {
    removeSubscription(session, sub.channel, { code: UnsubscribeCode.expired, reason: 'subscription expired' });
  };
  if (!binding) return expire();
  sub.refreshing = true;
  try {
    const request = { ...requestBase(session, binding), user: session.user, channel: sub.channel, meta: binding.meta(session.meta) };
    const answer = await binding.call(request, callContext(session, sub.channel), subRefreshResult);
    if (session.closed || session.subscriptions.get(sub.channel) !== sub) return;
    const now = ctx.clock.now();
    if (answer === null) {
      sub.expireAt = now + retryAfterBackendFailureMs;
      return;
    }
    const result = answer.type === 'result' ? answer.result : undefined;
    if (!result || result.expired) return expire();
    const expireAt = expiryMs(result.expireAt, now);
    if (expireAt > 0 && expireAt < now) return expire();
    if (result.info) sub.chanInfo = result.info;
    sub.expireAt = expireAt;
  } finally {
    sub.refreshing = false;
    session.scheduleSubExpiryCheck();
  }
}

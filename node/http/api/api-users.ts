import { DisconnectCode, UnsubscribeCode, disconnect } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import { subscribeServerSide } from '../../session/handlers/server-side-subscribe.js';
import type { Session } from '../../session/session.js';
import { removeSubscription } from '../../session/subscription-ops.js';
import {
  ApiParamError,
  isPlainObject,
  optionalBool,
  optionalInt,
  optionalString,
  optionalStringArray,
  requiredString,
} from './api-params.js';
import type { ApiMethod } from './api-types.js';

/** The sessions an API call targets: a user's, narrowed to one client when `client` is given. */
function targetSessions(ctx: NodeContext, params: Record<string, unknown>): Session[] {
  const user = optionalString(params, 'user') ?? '';
  const client = optionalString(params, 'client');
  if (client) {
    const session = ctx.hub.session(client);
    return session && (user === '' || session.user === user) ? [session] : [];
  }
  if (user === '') throw new ApiParamError('user', 'a non-empty string (or client)');
  return [...(ctx.hub.userSessions(user) ?? [])];
}

export const apiSubscribe: ApiMethod = async (ctx, params) => {
  const channel = requiredString(params, 'channel');
  const sessions = targetSessions(ctx, params);
  if (!ctx.channels.resolve(channel)) return { error: { code: 102, message: 'unknown channel' } };
  for (const session of sessions) {
    const result = await subscribeServerSide(session, channel);
    if (!result || session.closed) continue;
    session.reply({ push: { channel, subscribe: {} } });
    session.releaseHeld(channel);
  }
  return { result: {} };
};

export const apiUnsubscribe: ApiMethod = (ctx, params) => {
  const channel = requiredString(params, 'channel');
  for (const session of targetSessions(ctx, params)) {
    removeSubscription(session, channel, { code: UnsubscribeCode.server, reason: 'server unsubscribe' });
  }
  return { result: {} };
};

export const apiDisconnect: ApiMethod = (ctx, params) => {
  const whitelist = new Set(optionalStringArray(params, 'whitelist'));
  let code: number = DisconnectCode.forceNoReconnect;
  let reason = 'force disconnect';
  const custom = params['disconnect'];
  if (custom !== undefined && custom !== null) {
    if (!isPlainObject(custom)) throw new ApiParamError('disconnect', 'an object {code, reason}');
    code = optionalInt(custom, 'code') ?? code;
    reason = optionalString(custom, 'reason') ?? reason;
    if (code < 3000 || code > 4999) throw new ApiParamError('disconnect.code', 'a code from 3000 to 4999');
  }
  for (const session of targetSessions(ctx, params)) {
    if (!whitelist.has(session.clientId)) session.close(disconnect(code, reason));
  }
  return { result: {} };
};

export const apiRefresh: ApiMethod = (ctx, params) => {
  const expired = optionalBool(params, 'expired');
  const expireAtSeconds = optionalInt(params, 'expire_at');
  const now = ctx.clock.now();
  for (const session of targetSessions(ctx, params)) {
    if (expired) {
      session.close(disconnect(DisconnectCode.expired));
      continue;
    }
    if (expireAtSeconds !== undefined) {
      session.expireAt = expireAtSeconds > 0 ? expireAtSeconds * 1000 : 0;
      session.scheduleExpiryCheck();
      const ttl = session.expireAt > 0 ? Math.max(1, Math.ceil((session.expireAt - now) / 1000)) : 0;
      session.reply({ push: { refresh: session.expireAt > 0 ? { expires: true, ttl } : {} } });
    }
  }
  return { result: {} };
};

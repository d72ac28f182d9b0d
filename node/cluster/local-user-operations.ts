import type { SubscribePush } from '../../src/protocol/client-protocol.js';
import { DisconnectCode, UnsubscribeCode, disconnect } from '../../src/protocol/codes.js';
import type { Hub } from '../hub/hub.js';
import { subscribeServerSide } from '../session/handlers/server-side-subscribe.js';
import type { Session } from '../session/session.js';
import { removeSubscription } from '../session/subscription-ops.js';
import type { UserRefreshRequest, UserSubscribeRequest, UserTarget } from './cluster-ops.js';

/**
 * The sessions on this node a user-level operation targets, as Centrifugo's hub picks them: the connections of
 * `user` ("" = anonymous connections), narrowed to one `client` and/or one `session` when given.
 */
export function localSessions(hub: Hub<Session>, target: UserTarget): Session[] {
  const out: Session[] = [];
  for (const session of hub.userSessions(target.user) ?? []) {
    if (target.client !== '' && session.clientId !== target.client) continue;
    if (target.session !== '' && session.transport.sessionId !== target.session) continue;
    out.push(session);
  }
  return out;
}

export function disconnectLocal(hub: Hub<Session>, target: UserTarget, code: number, reason: string, whitelist: readonly string[]): void {
  const keep = new Set(whitelist);
  for (const session of localSessions(hub, target)) {
    if (!keep.has(session.clientId)) session.close(disconnect(code, reason));
  }
}

export function unsubscribeLocal(hub: Hub<Session>, target: UserTarget, channel: string): void {
  for (const session of localSessions(hub, target)) {
    removeSubscription(session, channel, { code: UnsubscribeCode.server, reason: 'server unsubscribe' });
  }
}

/**
 * Subscribes the targeted sessions server-side and pushes `subscribe` with the stream position. A connection
 * already at `client.channel_limit` is disconnected with 3505, as in Centrifugo.
 */
export async function subscribeLocal(hub: Hub<Session>, target: UserTarget, channel: string, request: UserSubscribeRequest): Promise<void> {
  for (const session of localSessions(hub, target)) {
    const limit = session.ctx.client.channelLimit;
    if (limit > 0 && session.subscriptions.size >= limit) {
      session.close(disconnect(DisconnectCode.channelLimit));
      continue;
    }
    // Each session gets its own copy: the subscription keeps the object.
    const result = await subscribeServerSide(session, channel, { ...request.options }, { since: request.since });
    if (!result || session.closed) continue;
    if (request.options.expireAt > 0) session.scheduleSubExpiryCheck();
    const push: SubscribePush = {};
    if (result.recoverable) push.recoverable = true;
    if (result.epoch) push.epoch = result.epoch;
    if (result.offset) push.offset = result.offset;
    if (result.positioned) push.positioned = true;
    if (result.data) push.data = result.data;
    session.reply({ push: { channel, subscribe: push } });
    session.releaseHeld(channel);
  }
}

/**
 * Centrifugo's refresh: `expired` disconnects with 3005; otherwise the connection's expiry becomes
 * `expireAtSeconds` (0 = never expires, one in the past disconnects with 3005) and its info `info` (only
 * together with a future expiry); the client gets a refresh push.
 */
export function refreshLocal(hub: Hub<Session>, target: UserTarget, request: UserRefreshRequest): void {
  const { expired, expireAtSeconds, info } = request;
  for (const session of localSessions(hub, target)) {
    if (expired) {
      session.close(disconnect(DisconnectCode.expired));
      continue;
    }
    const ttl = Math.floor(expireAtSeconds - session.ctx.clock.now() / 1000);
    if (expireAtSeconds > 0 && ttl <= 0) {
      session.close(disconnect(DisconnectCode.expired));
      continue;
    }
    session.expireAt = expireAtSeconds > 0 ? expireAtSeconds * 1000 : 0;
    if (expireAtSeconds > 0 && info && info.length > 0) session.connInfo = info;
    session.scheduleExpiryCheck();
    session.reply({ push: { refresh: expireAtSeconds > 0 ? { expires: true, ttl } : {} } });
  }
}

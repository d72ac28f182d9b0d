import type { Bytes, ConnectRequest, ConnectResult, SubscribeResult } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import type { Session } from '../session.js';
import { uniConnectErrorDisconnect } from '../../transport/uni-disconnect.js';
import { subscribeServerSide } from './server-side-subscribe.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/** connect: authenticates (token, insecure or anonymous), registers the session and applies server-side subs. */
export async function handleConnect(session: Session, id: number, req: ConnectRequest): Promise<void> {
  const ctx = session.ctx;
  let user = '';
  let expireAt = 0;
  let info: Bytes | undefined;
  let serverChannels: string[] = [];
  if (req.token) {
    const check = await ctx.tokens.verifyConnectionToken(req.token);
    if (session.closed) return;
    if (!check.ok) {
      ctx.logger.info({ client: session.clientId, reason: check.message }, 'connection token rejected');
      if (check.reason === 'expired') return refuse(session, id, ErrorCode.tokenExpired);
      if (check.reason === 'unavailable') return refuse(session, id, ErrorCode.internal);
      return session.close(disconnect(DisconnectCode.invalidToken));
    }
    const claims = check.claims;
    user = claims.sub;
    expireAt = expiryFromClaims(claims);
    info = claims.info;
    serverChannels = [...(claims.channels ?? []), ...Object.keys(claims.subs ?? {})];
  } else if (!ctx.client.insecure && !ctx.client.allowAnonymousConnectWithoutToken) {
    ctx.logger.info({ client: session.clientId }, 'connect without token refused');
    return session.close(disconnect(DisconnectCode.badRequest, 'connection token required'));
  }

  const now = ctx.clock.now();
  if (expireAt > 0 && expireAt <= now) return refuse(session, id, ErrorCode.tokenExpired);
  if (ctx.client.connectionLimit > 0 && ctx.hub.connections >= ctx.client.connectionLimit) {
    return session.close(disconnect(DisconnectCode.connectionLimit));
  }
  if (user !== '' && ctx.client.userConnectionLimit > 0) {
    const existing = ctx.hub.userSessions(user)?.size ?? 0;
    if (existing >= ctx.client.userConnectionLimit) return refuse(session, id, ErrorCode.limitExceeded);
  }

  session.user = user;
  session.connInfo = info;
  session.expireAt = expireAt;
  ctx.hub.add(session);
  session.markConnected();

  const result: ConnectResult = { client: session.clientId, version: ctx.version };
  if (expireAt > 0) {
    result.expires = true;
    result.ttl = ttlSeconds(expireAt, now);
  }
  if (ctx.client.pingIntervalMs > 0) {
    result.ping = Math.round(ctx.client.pingIntervalMs / 1000);
    // A unidirectional client cannot answer pings.
    if (!session.transport.unidirectional) result.pong = true;
  }
  // Emulation clients send later commands to POST /emulation with this session id and node id.
  if (session.transport.sessionId) result.session = session.transport.sessionId;
  if (session.transport.emulation) result.node = ctx.nodeId;
  if (ctx.client.connectIncludeServerTime) result.time = now;

  const subs: Record<string, SubscribeResult> = {};
  let anySubs = false;
  for (const channel of new Set(serverChannels)) {
    const sub = await subscribeServerSide(session, channel, req.subs?.[channel]);
    if (session.closed) return;
    if (sub) {
      subs[channel] = sub;
      anySubs = true;
    }
  }
  if (anySubs) result.subs = subs;
  session.reply({ id, connect: result });
  for (const channel of Object.keys(subs)) session.releaseHeld(channel);
}

/** A refused connect: an error reply, or a disconnect for a unidirectional client, which cannot get replies. */
function refuse(session: Session, id: number, code: number): void {
  if (session.transport.unidirectional) return session.close(uniConnectErrorDisconnect(code));
  session.replyError(id, 'connect', code);
}

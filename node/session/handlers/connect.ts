import type { Bytes, ConnectRequest, ConnectResult, ErrorReply, SubscribeResult } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect, protocolError, type Disconnect } from '../../../src/protocol/codes.js';
import { uniConnectErrorDisconnect } from '../../transport/uni-disconnect.js';
import { connectSubscriptions } from '../connect-subscriptions.js';
import type { Session } from '../session.js';
import type { SubscribeOptions } from '../subscribe-options.js';
import type { ConnectionTokenClaims } from '../token-verifier.js';
import { authenticateByProxy, keepEmulatedHeaders } from './connect-proxy.js';
import { subscribeServerSide } from './server-side-subscribe.js';
import { expiryFromClaims, ttlSeconds } from './token-expiry.js';

/**
 * connect: authenticates (token, connect proxy, insecure or anonymous), registers the session and applies the
 * server-side subscriptions (token claims or the connect proxy's result, personal channel, the client's own `subs`
 * where allowed), in the order of Centrifugo's connecting handler.
 */
export async function handleConnect(session: Session, id: number, req: ConnectRequest): Promise<void> {
  const ctx = session.ctx;
  let user = '';
  let expireAt = 0;
  let info: Bytes | undefined;
  let claims: ConnectionTokenClaims | null = null;
  /** Server-side subscriptions a connect proxy result asks for (instead of the token's). */
  let proxied: Map<string, SubscribeOptions> | null = null;
  /** Data for the connect result (connect proxy). */
  let data: Bytes | undefined;
  let meta: Bytes | undefined;
  let authenticated = false;
  keepEmulatedHeaders(session, req.headers);
  if (req.token) {
    const check = await ctx.tokens.verifyConnectionToken(req.token);
    if (session.closed) return;
    if (!check.ok) {
      ctx.logger.info({ client: session.clientId, reason: check.message }, 'connection token rejected');
      if (check.reason === 'expired') return refuse(session, id, protocolError(ErrorCode.tokenExpired));
      if (check.reason === 'unavailable') return refuse(session, id, protocolError(ErrorCode.internal));
      return session.close(disconnect(DisconnectCode.invalidToken));
    }
    claims = check.claims;
    user = claims.sub;
    if (user === '' && ctx.client.disallowAnonymousConnectionTokens) {
      ctx.logger.info({ client: session.clientId }, 'anonymous connection token refused');
      return session.close(disconnect(DisconnectCode.permissionDenied));
    }
    // Insecure mode ignores token expiry, as Centrifugo does.
    expireAt = ctx.client.insecure ? 0 : expiryFromClaims(claims);
    info = claims.info;
    meta = claims.meta;
    authenticated = true;
  } else if (ctx.proxies.connect) {
    // Centrifugo proxies only connections without a token (cookies, headers, connect data decide).
    const outcome = await authenticateByProxy(session, ctx.proxies.connect, req);
    switch (outcome.type) {
      case 'closed':
        return;
      case 'disconnect':
        return session.close(outcome.disconnect);
      case 'error':
        return refuse(session, id, outcome.error);
      case 'identity':
        ({ user, expireAt, info, data, meta } = outcome.identity);
        proxied = outcome.identity.subscriptions;
        authenticated = true;
        break;
      case 'no_result':
        break;
    }
  }
  // No token (or a connect proxy without a result): anonymous where allowed, and then the client's `subs` count.
  const anonymous = !authenticated;
  if (anonymous && !ctx.client.insecure && !ctx.client.allowAnonymousConnectWithoutToken) {
    ctx.logger.info({ client: session.clientId }, 'connect without credentials refused');
    return session.badRequest('connection token required');
  }

  if (user !== '' && ctx.client.personalSingleConnection) await disconnectOtherConnections(session, user);
  if (session.closed) return;

  const collected = connectSubscriptions(ctx, user, claims, proxied === null ? req.subs : undefined, proxied);
  if (!collected.ok) {
    if (collected.error === 'bad_request') return session.close(disconnect(DisconnectCode.badRequest));
    return refuse(session, id, protocolError(ErrorCode.unknownChannel));
  }
  const serverSubs = collected.subscriptions;
  if (ctx.client.channelLimit > 0 && serverSubs.size > ctx.client.channelLimit) {
    return session.close(disconnect(DisconnectCode.channelLimit));
  }

  const now = ctx.clock.now();
  if (expireAt > 0 && expireAt <= now) {
    return refuse(session, id, protocolError(proxied === null ? ErrorCode.tokenExpired : ErrorCode.expired));
  }
  if (ctx.client.connectionLimit > 0 && ctx.hub.connections >= ctx.client.connectionLimit) {
    return session.close(disconnect(DisconnectCode.connectionLimit));
  }
  if (user !== '' && ctx.client.userConnectionLimit > 0) {
    const existing = ctx.hub.userSessions(user)?.size ?? 0;
    if (existing >= ctx.client.userConnectionLimit) return session.close(disconnect(DisconnectCode.connectionLimit));
  }

  session.user = user;
  session.connInfo = info;
  session.meta = meta;
  session.expireAt = expireAt;
  session.appName = req.name ?? '';
  session.appVersion = req.version ?? '';
  // With a refresh proxy every connection is refreshed by the server at its expiry (Centrifugo: ClientSideRefresh
  // is off), so the client is not told it expires.
  session.serverSideRefresh = ctx.proxies.refresh !== null;
  ctx.hub.add(session);
  session.markConnected();

  const result: ConnectResult = { client: session.clientId, version: ctx.version };
  if (expireAt > 0 && !session.serverSideRefresh) {
    result.expires = true;
    result.ttl = ttlSeconds(expireAt, now);
  }
  if (data) result.data = data;
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
  for (const [channel, options] of serverSubs) {
    const wanted = req.subs?.[channel];
    const sub = await subscribeServerSide(session, channel, options, {
      since: wanted?.recover === true ? { offset: wanted.offset ?? 0, epoch: wanted.epoch ?? '' } : undefined,
      delta: wanted?.delta,
      fromConnectionToken: collected.fromToken.has(channel),
    });
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

/**
 * `single_connection`: a user already present in their personal channel is disconnected (3504) on every node
 * of the cluster before the new connection is accepted, as Centrifugo does (a control disconnect whitelisting
 * the new client).
 */
async function disconnectOtherConnections(session: Session, user: string): Promise<void> {
  const ctx = session.ctx;
  const channel = ctx.client.personalChannel?.(user);
  if (!channel) return;
  let present: number;
  try {
    present = (await ctx.presence.presenceStats(channel)).numClients;
  } catch (err) {
    ctx.logger.warn({ channel, err }, 'presence stats for single connection failed');
    return session.close(disconnect(DisconnectCode.internal));
  }
  if (present === 0) return;
  const limit: Disconnect = disconnect(DisconnectCode.connectionLimit);
  await ctx.cluster.disconnect({ user, client: '', session: '' }, limit.code, limit.reason, [session.clientId]);
}

/** A refused connect: an error reply, or a disconnect for a unidirectional client, which cannot get replies. */
function refuse(session: Session, id: number, error: ErrorReply): void {
  if (session.transport.unidirectional) {
    const d = uniConnectErrorDisconnect(error.code, session.ctx.client.uniCodeToDisconnect);
    return session.close(d, { code: error.code, message: error.message });
  }
  session.replyError(id, 'connect', error);
  // Centrifugo keeps the socket open for the error reply but accepts nothing more on it.
  session.unusable = true;
}

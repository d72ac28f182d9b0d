import type { Bytes, ConnectRequest, ErrorReply } from '../../../src/protocol/client-protocol.js';
import { ErrorCode, protocolError, type Disconnect } from '../../../src/protocol/codes.js';
import { connectResult, type ConnectProxyResult } from '../../../src/proxy/proxy-results.js';
import type { ProxyBinding } from '../../proxy/proxy-binding.js';
import { callContext, requestBase } from '../proxy-call.js';
import type { Session } from '../session.js';
import { applyOverride, namespaceSubscribeOptions, type SubscribeOptions } from '../subscribe-options.js';

/** Who the connect proxy says the connection is, with what it adds (Centrifugo's connect result). */
export interface ProxiedIdentity {
  user: string;
  /** ms since the epoch; 0 = never. */
  expireAt: number;
  info: Bytes | undefined;
  /** Sent to the client in the connect result. */
  data: Bytes | undefined;
  meta: Bytes | undefined;
  /** Server-side subscriptions from the result's `channels` and `subs`. */
  subscriptions: Map<string, SubscribeOptions>;
}

/**
 * The connect proxy's decision: an identity; no result (the connection is anonymous if the config allows that);
 * or a refusal — an error reply, a disconnect, or error 100 when the backend could not answer.
 */
export type ConnectProxyOutcome =
  | { type: 'identity'; identity: ProxiedIdentity }
  | { type: 'no_result' }
  | { type: 'error'; error: ErrorReply }
  | { type: 'disconnect'; disconnect: Disconnect }
  | { type: 'closed' };

const maxTtlMs = 365 * 24 * 3600 * 1000;

/** Keeps the SDK's emulated headers that some proxy passes on (by lower-case name). */
export function keepEmulatedHeaders(session: Session, headers: Record<string, string> | undefined): void {
  const wanted = session.ctx.proxies.emulatedHeaderNames;
  if (!headers || wanted.size === 0) return;
  let kept: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (wanted.has(lower)) (kept ??= {})[lower] = value;
  }
  session.emulatedHeaders = kept;
}

/**
 * Asks the connect proxy who a connection without a token is (Centrifugo's connect proxy handler): the request
 * carries the connect `data`, `name`, `version` and the channels of the client's `subs`; the headers the proxy
 * passes on go with it (cookies, typically).
 */
export async function authenticateByProxy(session: Session, binding: ProxyBinding, req: ConnectRequest): Promise<ConnectProxyOutcome> {
  const request = {
    ...requestBase(session, binding),
    ...binding.payload(req.data),
    name: req.name || undefined,
    version: req.version || undefined,
    channels: req.subs && Object.keys(req.subs).length > 0 ? Object.keys(req.subs) : undefined,
  };
  const answer = await binding.call(request, callContext(session), connectResult);
  if (session.closed) return { type: 'closed' };
  if (answer === null) return { type: 'error', error: protocolError(ErrorCode.internal) };
  if (answer.type === 'disconnect') return { type: 'disconnect', disconnect: answer.disconnect };
  if (answer.type === 'error') return { type: 'error', error: answer.error };
  if (!answer.result) return { type: 'no_result' };
  return identityFromResult(session, answer.result);
}

function identityFromResult(session: Session, result: ConnectProxyResult): ConnectProxyOutcome {
  const ctx = session.ctx;
  const subscriptions = new Map<string, SubscribeOptions>();
  // `channels` get the namespace's options; `subs` entries add their info, data and override (expire_at there is
  // not used, as in Centrifugo). A channel of an unknown namespace refuses the connect with 102.
  for (const channel of result.channels) {
    const namespace = ctx.channels.resolve(channel);
    if (!namespace) return unknownChannel(session, channel);
    subscriptions.set(channel, namespaceSubscribeOptions(namespace));
  }
  for (const [channel, sub] of result.subs) {
    const namespace = ctx.channels.resolve(channel);
    if (!namespace) return unknownChannel(session, channel);
    const options = applyOverride(namespaceSubscribeOptions(namespace), sub.override);
    options.chanInfo = sub.info;
    options.data = sub.data;
    subscriptions.set(channel, options);
  }
  const now = ctx.clock.now();
  return {
    type: 'identity',
    identity: {
      user: result.user,
      expireAt: result.expireAt > 0 ? Math.min(result.expireAt * 1000, now + maxTtlMs) : 0,
      info: result.info,
      data: result.data && result.data.length > 0 ? result.data : undefined,
      meta: result.meta,
      subscriptions,
    },
  };
}

function unknownChannel(session: Session, channel: string): ConnectProxyOutcome {
  session.ctx.logger.warn({ client: session.clientId, channel }, 'unknown channel in connect proxy result');
  return { type: 'error', error: protocolError(ErrorCode.unknownChannel) };
}

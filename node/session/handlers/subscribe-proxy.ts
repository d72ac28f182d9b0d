import type { ErrorReply, SubscribeRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode, protocolError, type Disconnect } from '../../../src/protocol/codes.js';
import { subscribeResult } from '../../../src/proxy/proxy-results.js';
import type { ChannelAccessOptions } from '../channel-access.js';
import { callContext, requestBase } from '../proxy-call.js';
import type { Session } from '../session.js';
import { applyOverride, namespaceSubscribeOptions, type SubscribeOptions } from '../subscribe-options.js';

export type SubscribeProxyOutcome =
  | { type: 'allowed'; options: SubscribeOptions }
  | { type: 'error'; error: ErrorReply }
  | { type: 'disconnect'; disconnect: Disconnect }
  | { type: 'closed' };

const maxTtlMs = 365 * 24 * 3600 * 1000;

/**
 * Asks the namespace's subscribe proxy whether the client may subscribe (Centrifugo's subscribe proxy handler). A
 * result allows it with the namespace's `force_*` options, the result's `override`, and its `expire_at`, `info`
 * and `data`; the backend's error or disconnect is passed on; no usable answer is error 100.
 */
export async function subscribeByProxy(session: Session, req: SubscribeRequest, namespace: ChannelAccessOptions): Promise<SubscribeProxyOutcome> {
  const binding = session.ctx.proxies.channel('subscribe', namespace);
  if (!binding) return { type: 'error', error: protocolError(ErrorCode.notAvailable) };
  const request = {
    ...requestBase(session, binding),
    user: session.user,
    channel: req.channel,
    token: req.token || undefined,
    meta: binding.meta(session.meta),
    ...binding.payload(req.data),
  };
  const answer = await binding.call(request, callContext(session, req.channel), subscribeResult);
  if (session.closed) return { type: 'closed' };
  if (answer === null) return { type: 'error', error: protocolError(ErrorCode.internal) };
  if (answer.type !== 'result') return answer;
  const options = namespaceSubscribeOptions(namespace);
  const result = answer.result;
  if (result) {
    applyOverride(options, result.override);
    options.chanInfo = result.info;
    options.data = result.data;
    if (result.expireAt > 0) options.expireAt = Math.min(result.expireAt * 1000, session.ctx.clock.now() + maxTtlMs);
  }
  return { type: 'allowed', options };
}

import type { RpcRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode } from '../../../src/protocol/codes.js';
import { rpcResult } from '../../../src/proxy/proxy-results.js';
import { callContext, requestBase } from '../proxy-call.js';
import type { Session } from '../session.js';

/**
 * rpc, as Centrifugo routes it: the `rpc.ping` method answers an empty result; with RPC proxies configured the
 * method's namespace decides (unknown namespace 104, namespace without a proxy 108, else its proxy answers); with
 * only `rpc.ping` any other method is 104; with no RPC handler at all every call answers 108.
 */
export function handleRpc(session: Session, id: number, req: RpcRequest): Promise<void> | void {
  const ctx = session.ctx;
  const method = req.method ?? '';
  const pingMethod = ctx.client.rpcPingMethod;
  if (pingMethod !== null && method === pingMethod) return session.reply({ id, rpc: {} });
  if (ctx.proxies.rpcProxied) return rpcByProxy(session, id, req, method);
  return session.replyError(id, 'rpc', pingMethod === null ? ErrorCode.notAvailable : ErrorCode.methodNotFound);
}

async function rpcByProxy(session: Session, id: number, req: RpcRequest, method: string): Promise<void> {
  const route = session.ctx.proxies.rpc(method);
  if (route.type === 'unknown_namespace') return session.replyError(id, 'rpc', ErrorCode.methodNotFound);
  if (route.type === 'not_proxied') return session.replyError(id, 'rpc', ErrorCode.notAvailable);
  const binding = route.binding;
  const request = {
    ...requestBase(session, binding),
    user: session.user,
    method: method || undefined,
    ...binding.payload(req.data),
    meta: binding.meta(session.meta),
  };
  const answer = await binding.call(request, callContext(session), rpcResult);
  if (session.closed) return;
  if (answer === null) return session.replyError(id, 'rpc', ErrorCode.internal);
  if (answer.type === 'disconnect') return session.close(answer.disconnect);
  if (answer.type === 'error') return session.replyError(id, 'rpc', answer.error);
  const data = answer.result?.data;
  session.reply({ id, rpc: data ? { data } : {} });
}

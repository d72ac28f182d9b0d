import type { SubscribeOverride } from '../../../src/auth/token-claims.js';
import type { StreamPosition } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { UserTarget } from '../../cluster/cluster-ops.js';
import { applyOverride, namespaceSubscribeOptions } from '../../session/subscribe-options.js';
import {
  ApiParamError,
  isPlainObject,
  optionalBool,
  optionalInt,
  optionalPayload,
  optionalString,
  optionalStringArray,
  requiredString,
} from './api-params.js';
import type { ApiMethod } from './api-types.js';

// User-level methods reach the user wherever it is connected: applied on this node and sent to every other
// node of the cluster over the control channel (as Centrifugo does); the call does not wait for the others.

/**
 * The connections an API call targets, as Centrifugo's hub picks them: the connections of `user` ("" =
 * anonymous connections), narrowed to one `client` and/or one `session` when given.
 */
function target(params: Record<string, unknown>): UserTarget {
  return {
    user: optionalString(params, 'user') ?? '',
    client: optionalString(params, 'client') ?? '',
    session: optionalString(params, 'session') ?? '',
  };
}

/** `override` of the server API: `{"presence": {"value": true}, …}`. */
function parseOverride(params: Record<string, unknown>): SubscribeOverride | undefined {
  const raw = params['override'];
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new ApiParamError('override', 'an object');
  const out: SubscribeOverride = {};
  for (const key of ['presence', 'join_leave', 'force_push_join_leave', 'force_positioning', 'force_recovery'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (!isPlainObject(value)) throw new ApiParamError(`override.${key}`, 'an object {"value": bool}');
    out[key] = optionalBool(value, 'value');
  }
  return out;
}

function parseRecoverSince(params: Record<string, unknown>): StreamPosition | undefined {
  const raw = params['recover_since'];
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new ApiParamError('recover_since', 'an object {offset, epoch}');
  const offset = optionalInt(raw, 'offset') ?? 0;
  if (offset < 0) throw new ApiParamError('recover_since.offset', 'a non-negative integer');
  return { offset, epoch: optionalString(raw, 'epoch') ?? '' };
}

/**
 * `subscribe`: a server-side subscription for the targeted connections, with the namespace's options changed by
 * `override`, plus `info`, `data`, `expire_at` and `recover_since`.
 */
export const apiSubscribe: ApiMethod = async (ctx, params) => {
  const channel = requiredString(params, 'channel');
  const namespace = ctx.channels.resolve(channel);
  if (!namespace) return { error: protocolError(ErrorCode.unknownChannel) };
  const options = applyOverride(namespaceSubscribeOptions(namespace), parseOverride(params));
  options.chanInfo = optionalPayload(params, 'info');
  options.data = optionalPayload(params, 'data');
  const expireAt = optionalInt(params, 'expire_at') ?? 0;
  options.expireAt = expireAt > 0 ? expireAt * 1000 : 0;
  await ctx.cluster.subscribe(target(params), channel, { options, since: parseRecoverSince(params) });
  return { result: {} };
};

/** `unsubscribe`: an empty channel is accepted and changes nothing (Centrifugo checks the namespace only when set). */
export const apiUnsubscribe: ApiMethod = async (ctx, params) => {
  const channel = optionalString(params, 'channel') ?? '';
  if (channel !== '' && !ctx.channels.resolve(channel)) return { error: protocolError(ErrorCode.unknownChannel) };
  await ctx.cluster.unsubscribe(target(params), channel);
  return { result: {} };
};

export const apiDisconnect: ApiMethod = async (ctx, params) => {
  const whitelist = optionalStringArray(params, 'whitelist');
  let code: number = DisconnectCode.forceNoReconnect;
  let reason = 'force disconnect';
  const custom = params['disconnect'];
  if (custom !== undefined && custom !== null) {
    if (!isPlainObject(custom)) throw new ApiParamError('disconnect', 'an object {code, reason}');
    code = optionalInt(custom, 'code') ?? code;
    reason = optionalString(custom, 'reason') ?? reason;
    if (code < 3000 || code > 4999) throw new ApiParamError('disconnect.code', 'a code from 3000 to 4999', 'value');
  }
  await ctx.cluster.disconnect(target(params), code, reason, whitelist);
  return { result: {} };
};

/** `refresh`, with Centrifugo's semantics (see `refreshLocal`). */
export const apiRefresh: ApiMethod = async (ctx, params) => {
  await ctx.cluster.refresh(target(params), {
    expired: optionalBool(params, 'expired'),
    expireAtSeconds: optionalInt(params, 'expire_at') ?? 0,
    info: optionalPayload(params, 'info'),
  });
  return { result: {} };
};

import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import { readHistory } from '../../session/channel-history-read.js';
import { historyEnabled } from '../../session/channel-history.js';
import type { ChannelAccessOptions } from '../../session/channel-access.js';
import { ApiParamError, isPlainObject, optionalBool, optionalInt, requiredString } from './api-params.js';
import type { ApiMethod, ApiOutcome } from './api-types.js';

type Resolved = { channel: string; options: ChannelAccessOptions } | { error: ApiOutcome };

function resolve(ctx: NodeContext, params: Record<string, unknown>): Resolved {
  const channel = requiredString(params, 'channel');
  const options = ctx.channels.resolve(channel);
  if (!options) return { error: { error: protocolError(ErrorCode.unknownChannel) } };
  return { channel, options };
}

export const apiPresence: ApiMethod = async (ctx, params) => {
  const target = resolve(ctx, params);
  if ('error' in target) return target.error;
  if (!target.options.presence) return { error: protocolError(ErrorCode.notAvailable) };
  return { result: { presence: await ctx.presence.presence(target.channel) } };
};

export const apiPresenceStats: ApiMethod = async (ctx, params) => {
  const target = resolve(ctx, params);
  if ('error' in target) return target.error;
  if (!target.options.presence) return { error: protocolError(ErrorCode.notAvailable) };
  const stats = await ctx.presence.presenceStats(target.channel);
  return { result: { num_clients: stats.numClients, num_users: stats.numUsers } };
};

export const apiHistory: ApiMethod = async (ctx, params) => {
  const target = resolve(ctx, params);
  if ('error' in target) return target.error;
  if (!historyEnabled(target.options)) return { error: protocolError(ErrorCode.notAvailable) };
  let since: { offset: number; epoch: string } | undefined;
  const rawSince = params['since'];
  if (rawSince !== undefined && rawSince !== null) {
    if (!isPlainObject(rawSince)) throw new ApiParamError('since', 'an object {offset, epoch}');
    const offset = optionalInt(rawSince, 'offset') ?? 0;
    const epoch = rawSince['epoch'] ?? '';
    if (typeof epoch !== 'string') throw new ApiParamError('since.epoch', 'a string');
    if (offset < 0) throw new ApiParamError('since.offset', 'a non-negative integer');
    since = { offset, epoch };
  }
  const outcome = await readHistory(ctx, target.channel, target.options, {
    limit: optionalInt(params, 'limit') ?? 0,
    since,
    reverse: optionalBool(params, 'reverse'),
    maxLimit: 0,
  });
  if ('error' in outcome) return { error: protocolError(outcome.error) };
  return { result: outcome.result };
};

export const apiHistoryRemove: ApiMethod = async (ctx, params) => {
  const target = resolve(ctx, params);
  if ('error' in target) return target.error;
  if (!historyEnabled(target.options)) return { error: protocolError(ErrorCode.notAvailable) };
  await ctx.broker.removeHistory(target.channel);
  return { result: {} };
};

import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import { ApiParamError, optionalPayload, optionalStringArray, optionalStringMap, requiredString } from './api-params.js';
import type { ApiMethod, ApiOutcome } from './api-types.js';

async function publishOne(
  ctx: NodeContext,
  channel: string,
  params: Record<string, unknown>,
): Promise<ApiOutcome> {
  const data = optionalPayload(params, 'data');
  if (!data) throw new ApiParamError('data', 'a JSON value (or b64data)');
  if (channel.length > ctx.channels.maxLength) return { error: protocolError(ErrorCode.limitExceeded) };
  if (!ctx.channels.resolve(channel)) return { error: protocolError(ErrorCode.unknownChannel) };
  const tags = optionalStringMap(params, 'tags');
  try {
    const position = await ctx.broker.publish(channel, data, tags ? { tags } : {});
    return { result: position.epoch ? { offset: position.offset, epoch: position.epoch } : {} };
  } catch (err) {
    ctx.logger.warn({ channel, err }, 'api publish failed');
    return { error: protocolError(ErrorCode.internal) };
  }
}

export const apiPublish: ApiMethod = (ctx, params) => publishOne(ctx, requiredString(params, 'channel'), params);

export const apiBroadcast: ApiMethod = async (ctx, params) => {
  const channels = optionalStringArray(params, 'channels');
  if (channels.length === 0) throw new ApiParamError('channels', 'a non-empty array of strings');
  // Validate the payload once up front so a bad body fails the call instead of every channel.
  if (!optionalPayload(params, 'data')) throw new ApiParamError('data', 'a JSON value (or b64data)');
  const responses = await Promise.all(channels.map((channel) => publishOne(ctx, channel, params)));
  return { result: { responses } };
};

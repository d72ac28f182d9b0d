import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import type { PublishOptions } from '../../../src/engine/broker.js';
import { historyPublishOptions } from '../../session/channel-history.js';
import {
  ApiParamError,
  optionalBool,
  optionalPayload,
  optionalString,
  optionalStringArray,
  optionalStringMap,
  requiredString,
} from './api-params.js';
import type { ApiMethod, ApiOutcome } from './api-types.js';

async function publishOne(
  ctx: NodeContext,
  channel: string,
  params: Record<string, unknown>,
): Promise<ApiOutcome> {
  const data = optionalPayload(params, 'data');
  if (!data) throw new ApiParamError('data', 'a JSON value (or b64data)');
  if (!ctx.channels.validName(channel)) return { error: protocolError(ErrorCode.badRequest, 'bad request: invalid channel name') };
  const options = ctx.channels.resolve(channel);
  if (!options) return { error: protocolError(ErrorCode.unknownChannel) };
  const tags = optionalStringMap(params, 'tags');
  const idempotencyKey = optionalString(params, 'idempotency_key');
  const publishOptions: PublishOptions = {
    ...(optionalBool(params, 'skip_history') ? {} : historyPublishOptions(options)),
    useDelta: optionalBool(params, 'delta') || options.delta_publish,
  };
  if (tags) publishOptions.tags = tags;
  if (idempotencyKey) publishOptions.idempotencyKey = idempotencyKey;
  try {
    const position = await ctx.broker.publish(channel, data, publishOptions);
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

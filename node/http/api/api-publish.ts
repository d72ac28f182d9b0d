import { ChannelNotSupportedError } from '../../../src/engine/channel-not-supported-error.js';
import { ErrorCode, protocolError } from '../../../src/protocol/codes.js';
import type { NodeContext } from '../../server/node-context.js';
import type { PublishOptions } from '../../../src/engine/broker.js';
import { historyPublishOptions } from '../../session/channel-history.js';
import type { Bytes } from '../../../src/protocol/client-protocol.js';
import { publicationDataAllowed } from '../../../src/channels/publication-data.js';
import {
  ApiParamError,
  optionalBool,
  optionalPayload,
  optionalString,
  optionalStringArray,
  optionalStringMap,
} from './api-params.js';
import type { ApiMethod, ApiOutcome } from './api-types.js';

const emptyPayload: Bytes = new Uint8Array(0);

/** Publishes `data` into one channel with Centrifugo's checks (per channel for broadcast). */
async function publishOne(
  ctx: NodeContext,
  channel: string,
  data: Bytes,
  params: Record<string, unknown>,
): Promise<ApiOutcome> {
  if (channel === '') return { error: protocolError(ErrorCode.badRequest) };
  const options = ctx.channels.resolve(channel);
  if (!options) return { error: protocolError(ErrorCode.unknownChannel) };
  if (!publicationDataAllowed(data, options.publication_data_format)) {
    return { error: protocolError(ErrorCode.badRequest, `bad request: data does not match publication_data_format`) };
  }
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
    if (err instanceof ChannelNotSupportedError) return { error: protocolError(ErrorCode.badRequest, `bad request: ${err.message}`) };
    ctx.logger.warn({ channel, err }, 'api publish failed');
    return { error: protocolError(ErrorCode.internal) };
  }
}

/** `publish`: channel names are not checked against namespace rules here, as in Centrifugo's API. */
export const apiPublish: ApiMethod = (ctx, params) => {
  const channel = optionalString(params, 'channel') ?? '';
  if (channel === '') return { error: protocolError(ErrorCode.badRequest, 'bad request: channel required') };
  return publishOne(ctx, channel, optionalPayload(params, 'data') ?? emptyPayload, params);
};

/** `broadcast`: one publish per channel, each answered on its own (an empty channel name too). */
export const apiBroadcast: ApiMethod = async (ctx, params) => {
  const channels = optionalStringArray(params, 'channels');
  if (channels.length === 0) throw new ApiParamError('channels', 'a non-empty array of strings', 'value');
  const data = optionalPayload(params, 'data') ?? emptyPayload;
  const responses = await Promise.all(channels.map((channel) => publishOne(ctx, channel, data, params)));
  return { result: { responses } };
};

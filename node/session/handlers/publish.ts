import { ChannelNotSupportedError } from '../../../src/engine/channel-not-supported-error.js';
import type { PublishRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode } from '../../../src/protocol/codes.js';
import { publicationDataAllowed } from '../../../src/channels/publication-data.js';
import { historyPublishOptions } from '../channel-history.js';
import { canPublish } from '../permissions.js';
import { publishByProxy } from './publish-proxy.js';
import type { Session } from '../session.js';

/**
 * publish from a client, in the order of Centrifugo's publish handler: namespace (102), name rules (107), data
 * format (107), then the namespace's publish proxy or the permission (103); then handed to the broker.
 */
export async function handlePublish(session: Session, id: number, req: PublishRequest): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  if (!channel) return session.badRequest('channel required');
  const options = ctx.channels.resolve(channel);
  if (!options) return session.replyError(id, 'publish', ErrorCode.unknownChannel);
  if (!ctx.channels.validName(channel)) return session.replyError(id, 'publish', ErrorCode.badRequest);
  if (!publicationDataAllowed(req.data, options.publication_data_format)) {
    return session.replyError(id, 'publish', ErrorCode.badRequest);
  }
  // The backend decides instead of the namespace's permissions (and may rewrite the publication).
  if (options.publish_proxy_enabled) return publishByProxy(session, id, req, options);
  const sub = session.subscriptions.get(channel);
  if (!ctx.client.insecure && !canPublish(options, session.user, sub !== undefined)) {
    return session.replyError(id, 'publish', ErrorCode.permissionDenied);
  }
  try {
    await ctx.broker.publish(channel, req.data, {
      info: session.clientInfo(sub?.chanInfo),
      ...historyPublishOptions(options),
      useDelta: options.delta_publish,
    });
  } catch (err) {
    if (err instanceof ChannelNotSupportedError) return session.replyError(id, 'publish', ErrorCode.badRequest);
    ctx.logger.warn({ client: session.clientId, channel, err }, 'client publish failed');
    return session.replyError(id, 'publish', ErrorCode.internal);
  }
  session.reply({ id, publish: {} });
}

import type { PublishRequest } from '../../../src/protocol/client-protocol.js';
import { DisconnectCode, ErrorCode, disconnect } from '../../../src/protocol/codes.js';
import { historyPublishOptions } from '../channel-history.js';
import { canPublish } from '../permissions.js';
import type { Session } from '../session.js';

/** publish from a client: allowed by namespace options (or insecure mode), then handed to the broker. */
export async function handlePublish(session: Session, id: number, req: PublishRequest): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  if (!channel) return session.close(disconnect(DisconnectCode.badRequest, 'channel required'));
  if (!req.data || req.data.length === 0) return session.replyError(id, 'publish', ErrorCode.badRequest);
  if (!ctx.channels.validName(channel)) return session.replyError(id, 'publish', ErrorCode.badRequest);
  const options = ctx.channels.resolve(channel);
  if (!options) return session.replyError(id, 'publish', ErrorCode.unknownChannel);
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
    ctx.logger.warn({ client: session.clientId, channel, err }, 'client publish failed');
    return session.replyError(id, 'publish', ErrorCode.internal);
  }
  session.reply({ id, publish: {} });
}

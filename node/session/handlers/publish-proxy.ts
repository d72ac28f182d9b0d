import type { PublishRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode } from '../../../src/protocol/codes.js';
import type { PublishOptions } from '../../../src/engine/broker.js';
import { publishResult } from '../../../src/proxy/proxy-results.js';
import type { ChannelAccessOptions } from '../channel-access.js';
import { historyPublishOptions } from '../channel-history.js';
import { callContext, requestBase } from '../proxy-call.js';
import type { Session } from '../session.js';

/**
 * publish through the namespace's publish proxy (Centrifugo's publish proxy handler): the backend's error or
 * disconnect goes to the client; otherwise the publication goes out with the result's `data` (or the client's),
 * without history when `skip_history`, with its `tags`, `idempotency_key` and `delta`. No usable answer is 100.
 * The publication goes through the broker, so subscribers on every node of the cluster get the rewritten data.
 */
export async function publishByProxy(session: Session, id: number, req: PublishRequest, options: ChannelAccessOptions): Promise<void> {
  const ctx = session.ctx;
  const channel = req.channel;
  const binding = ctx.proxies.channel('publish', options);
  if (!binding) return session.replyError(id, 'publish', ErrorCode.notAvailable);
  const request = {
    ...requestBase(session, binding),
    user: session.user,
    channel,
    ...binding.payload(req.data),
    meta: binding.meta(session.meta),
  };
  const answer = await binding.call(request, callContext(session, channel), publishResult);
  if (session.closed) return;
  if (answer === null) return session.replyError(id, 'publish', ErrorCode.internal);
  if (answer.type === 'disconnect') return session.close(answer.disconnect);
  if (answer.type === 'error') return session.replyError(id, 'publish', answer.error);
  const result = answer.result;
  const sub = session.subscriptions.get(channel);
  const publishOptions: PublishOptions = {
    info: session.clientInfo(sub?.chanInfo),
    ...(result?.skipHistory ? {} : historyPublishOptions(options)),
    // As in Centrifugo, delta follows the result alone (not the namespace's delta_publish).
    useDelta: result?.delta ?? false,
  };
  if (result?.tags) publishOptions.tags = result.tags;
  if (result?.idempotencyKey) publishOptions.idempotencyKey = result.idempotencyKey;
  try {
    await ctx.broker.publish(channel, result?.data ?? req.data, publishOptions);
  } catch (err) {
    ctx.logger.warn({ client: session.clientId, channel, err }, 'client publish failed');
    return session.replyError(id, 'publish', ErrorCode.internal);
  }
  if (!session.closed) session.reply({ id, publish: {} });
}

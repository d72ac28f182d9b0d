import type { HistoryRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode } from '../../../src/protocol/codes.js';
import { readHistory } from '../channel-history-read.js';
import { historyEnabled } from '../channel-history.js';
import { canRead } from '../permissions.js';
import type { Session } from '../session.js';

/** history: the channel's stream (limit capped by client.history_max_publication_limit). */
export async function handleHistory(session: Session, id: number, req: HistoryRequest): Promise<void> {
  const ctx = session.ctx;
  if (!req.channel) return session.badRequest('channel required');
  const options = ctx.channels.resolve(req.channel);
  if (!options) return session.replyError(id, 'history', ErrorCode.unknownChannel);
  if (!ctx.channels.validName(req.channel)) return session.replyError(id, 'history', ErrorCode.badRequest);
  if (!historyEnabled(options)) return session.replyError(id, 'history', ErrorCode.notAvailable);
  if (!ctx.client.insecure && !canRead('history', options, session.user, session.subscriptions.has(req.channel))) {
    return session.replyError(id, 'history', ErrorCode.permissionDenied);
  }
  const outcome = await readHistory(ctx, req.channel, options, {
    limit: req.limit ?? 0,
    since: req.since,
    reverse: req.reverse === true,
    maxLimit: ctx.client.historyMaxPublicationLimit,
  });
  if ('error' in outcome) return session.replyError(id, 'history', outcome.error);
  // Clients get each publication's epoch (the server API's publications have no such field).
  const { publications, epoch } = outcome.result;
  session.reply({ id, history: { ...outcome.result, publications: publications.map((pub) => ({ ...pub, epoch })) } });
}

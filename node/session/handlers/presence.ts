import type { PresenceRequest } from '../../../src/protocol/client-protocol.js';
import { ErrorCode } from '../../../src/protocol/codes.js';
import { canRead } from '../permissions.js';
import type { Session } from '../session.js';

/** Shared checks of presence and presence_stats; returns false after replying with the error. */
function presenceAllowed(session: Session, id: number, method: string, channel: string): boolean {
  const ctx = session.ctx;
  if (!channel) {
    session.badRequest('channel required');
    return false;
  }
  const options = ctx.channels.resolve(channel);
  if (!options) {
    session.replyError(id, method, ErrorCode.unknownChannel);
    return false;
  }
  if (!ctx.channels.validName(channel)) {
    session.replyError(id, method, ErrorCode.badRequest);
    return false;
  }
  if (!options.presence) {
    session.replyError(id, method, ErrorCode.notAvailable);
    return false;
  }
  if (!ctx.client.insecure && !canRead('presence', options, session.user, session.subscriptions.has(channel))) {
    session.replyError(id, method, ErrorCode.permissionDenied);
    return false;
  }
  return true;
}

export async function handlePresence(session: Session, id: number, req: PresenceRequest): Promise<void> {
  if (!presenceAllowed(session, id, 'presence', req.channel)) return;
  try {
    const presence = await session.ctx.presence.presence(req.channel);
    session.reply({ id, presence: { presence } });
  } catch (err) {
    session.ctx.logger.warn({ channel: req.channel, err }, 'presence failed');
    session.replyError(id, 'presence', ErrorCode.internal);
  }
}

export async function handlePresenceStats(session: Session, id: number, req: PresenceRequest): Promise<void> {
  if (!presenceAllowed(session, id, 'presence_stats', req.channel)) return;
  try {
    const stats = await session.ctx.presence.presenceStats(req.channel);
    session.reply({ id, presence_stats: { num_clients: stats.numClients, num_users: stats.numUsers } });
  } catch (err) {
    session.ctx.logger.warn({ channel: req.channel, err }, 'presence stats failed');
    session.replyError(id, 'presence_stats', ErrorCode.internal);
  }
}

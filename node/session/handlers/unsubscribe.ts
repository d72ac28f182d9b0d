import type { UnsubscribeRequest } from '../../../src/protocol/client-protocol.js';
import type { Session } from '../session.js';
import { removeSubscription } from '../subscription-ops.js';

/** unsubscribe: leaving a channel one is not subscribed to is not an error. */
export function handleUnsubscribe(session: Session, id: number, req: UnsubscribeRequest): void {
  if (!req.channel) return session.badRequest('channel required');
  removeSubscription(session, req.channel);
  session.reply({ id, unsubscribe: {} });
}

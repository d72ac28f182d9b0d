import type { Codec } from '../../src/protocol/codec.js';
import type { Transport } from '../transport/transport.js';
import { dispatchCommand } from './dispatch-command.js';
import { refreshConnectionByProxy, refreshSubscriptionByProxy } from './proxy-refresh.js';
import { Session, type SessionBehaviour, type SessionContext } from './session.js';
import { refreshPresence, releaseSubscriptions, removeSubscription } from './subscription-ops.js';

/** The command layer every session runs on. */
const behaviour: SessionBehaviour = {
  dispatch: dispatchCommand,
  removeSubscription,
  releaseSubscriptions,
  refreshPresence,
  refreshConnectionByProxy,
  refreshSubscriptionByProxy,
};

/** A new session on `transport`; transports make sessions here rather than with `new Session`. */
export function openSession(ctx: SessionContext, transport: Transport, codec: Codec, connectionHeaders?: Readonly<Record<string, string>>): Session {
  return new Session(ctx, transport, codec, behaviour, connectionHeaders);
}

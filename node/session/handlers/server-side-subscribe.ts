import type { StreamPosition, SubscribeResult } from '../../../src/protocol/client-protocol.js';
import { activateSubscription } from '../activate-subscription.js';
import { createSubscription } from '../channel-subscription.js';
import type { Session } from '../session.js';
import type { SubscribeOptions } from '../subscribe-options.js';

/** What the client (connect `subs`) or the server API (`recover_since`) asked for a server-side subscription. */
export interface ServerSideRecovery {
  since?: StreamPosition | undefined;
  /** Delta type the client asked for in its connect `subs` entry. */
  delta?: string | undefined;
  /** The connection token named this channel (see ChannelSubscription.fromConnectionToken). */
  fromConnectionToken?: boolean;
}

/**
 * Subscribes a session to a channel chosen by the server (token claims, personal channel, the server API):
 * no permission checks, the namespace must exist, the options are decided by the caller. Publications are held
 * until the caller has sent the result or push, then released with `releaseHeld`. Null when the session already
 * has the channel or the engine failed.
 */
export async function subscribeServerSide(
  session: Session,
  channel: string,
  options: SubscribeOptions,
  recovery: ServerSideRecovery = {},
): Promise<SubscribeResult | null> {
  const ctx = session.ctx;
  if (session.subscriptions.has(channel)) return null;
  const namespace = ctx.channels.resolve(channel);
  if (!namespace) {
    ctx.logger.warn({ client: session.clientId, channel }, 'server-side subscription to unknown namespace skipped');
    return null;
  }
  const delta = recovery.delta === 'fossil' && namespace.allowed_delta_types.includes('fossil');
  const sub = createSubscription(channel, namespace, options, {
    delta,
    useId: false,
    serverSide: true,
    fromConnectionToken: recovery.fromConnectionToken === true,
    serverSideRefresh: namespace.sub_refresh_proxy_enabled,
  });
  const result = await activateSubscription(session, sub, options.recovery, {
    recover: recovery.since !== undefined,
    since: recovery.since ?? { offset: 0, epoch: '' },
    rejectUnrecoverable: false,
  });
  if (result === 'unrecoverable' || result === 'failed' || result === 'unsupported') return null;
  if (delta) result.delta = true;
  if (options.data) result.data = options.data;
  return result;
}

import type { SubscribeRequest } from '../../src/protocol/client-protocol.js';
import type { NodeContext } from '../server/node-context.js';
import { canSubscribeWithoutToken } from './permissions.js';
import { applyOverride, namespaceSubscribeOptions, type SubscribeOptions } from './subscribe-options.js';
import type { ConnectionTokenClaims } from './token-verifier.js';

/** The server-side subscriptions a connect creates, or why the connect is refused. */
export type ConnectSubscriptions =
  | { ok: true; subscriptions: Map<string, SubscribeOptions>; fromToken: Set<string> }
  | { ok: false; error: 'unknown_channel' | 'bad_request' };

/**
 * Collects a connection's server-side subscriptions as Centrifugo's connecting handler does:
 * - those a connect proxy result asks for (`proxied`, already resolved);
 * - the token's `subs` claim (each with its info/data/override), or, only when there is no `subs`, its
 *   `channels` claim; a channel of an unknown namespace refuses the connect (102);
 * - the user's personal channel (`client.subscribe_to_user_personal_channel`) for an authenticated user;
 * - the channels the client lists in its connect `subs`, when it could subscribe to them itself without a token
 *   (not private, a valid name, no subscribe proxy, allowed by the namespace or insecure mode); an unknown
 *   namespace there refuses the connect with 3501. Callers pass no `requested` for connections a connect proxy
 *   authenticated (Centrifugo leaves those to the backend).
 */
export function connectSubscriptions(
  ctx: NodeContext,
  user: string,
  claims: ConnectionTokenClaims | null,
  requested: Record<string, SubscribeRequest> | undefined,
  proxied: ReadonlyMap<string, SubscribeOptions> | null = null,
): ConnectSubscriptions {
  const subscriptions = new Map<string, SubscribeOptions>(proxied ?? []);
  const subs = claims?.subs;
  if (subs && Object.keys(subs).length > 0) {
    for (const [channel, sub] of Object.entries(subs)) {
      const namespace = ctx.channels.resolve(channel);
      if (!namespace) return { ok: false, error: 'unknown_channel' };
      const options = applyOverride(namespaceSubscribeOptions(namespace), sub.override);
      options.chanInfo = sub.info;
      options.data = sub.data;
      subscriptions.set(channel, options);
    }
  } else {
    for (const channel of claims?.channels ?? []) {
      const namespace = ctx.channels.resolve(channel);
      if (!namespace) return { ok: false, error: 'unknown_channel' };
      subscriptions.set(channel, namespaceSubscribeOptions(namespace));
    }
  }

  const personalChannel = ctx.client.personalChannel;
  if (personalChannel && user !== '') {
    const channel = personalChannel(user);
    const namespace = ctx.channels.resolve(channel);
    if (!namespace) return { ok: false, error: 'unknown_channel' };
    subscriptions.set(channel, namespaceSubscribeOptions(namespace));
  }

  for (const channel of Object.keys(requested ?? {})) {
    const namespace = ctx.channels.resolve(channel);
    if (!namespace) return { ok: false, error: 'bad_request' };
    // A namespace with a subscribe proxy lets only its backend decide (Centrifugo skips such channels here).
    if (subscriptions.has(channel) || namespace.subscribe_proxy_enabled || !ctx.channels.validName(channel)) continue;
    const allowed = ctx.client.insecure
      ? !ctx.channels.isPrivate(channel)
      : canSubscribeWithoutToken(ctx.channels, namespace, channel, user);
    if (allowed) subscriptions.set(channel, namespaceSubscribeOptions(namespace));
  }
  return { ok: true, subscriptions, fromToken: new Set(tokenChannels(claims)) };
}

/** The channels a connection token subscribes to: its `subs`, or its `channels` when it has no `subs`. */
export function tokenChannels(claims: ConnectionTokenClaims | null): string[] {
  const subs = claims?.subs;
  if (subs && Object.keys(subs).length > 0) return Object.keys(subs);
  return claims?.channels ?? [];
}

import type { ChannelAccessOptions, ChannelResolver } from './channel-access.js';

/** Centrifugo's rules for subscribing without a subscription token (insecure mode skips them). */
export function canSubscribeWithoutToken(
  channels: ChannelResolver,
  options: ChannelAccessOptions,
  channel: string,
  user: string,
): boolean {
  if (channels.isPrivate(channel)) return false;
  if (options.allow_user_limited_channels && channels.isUserLimited(channel)) {
    return user !== '' && channels.userAllowed(channel, user);
  }
  if (!options.allow_subscribe_for_client) return false;
  return user !== '' || options.allow_subscribe_for_anonymous;
}

/** Centrifugo's rules for a client publishing into a channel (insecure mode skips them). */
export function canPublish(options: ChannelAccessOptions, user: string, subscribed: boolean): boolean {
  if (user === '' && !options.allow_publish_for_anonymous) return false;
  if (options.allow_publish_for_client) return true;
  return options.allow_publish_for_subscriber && subscribed;
}

/** Centrifugo's rules for presence and history reads: per-namespace client/subscriber/anonymous switches. */
export function canRead(
  kind: 'presence' | 'history',
  options: ChannelAccessOptions,
  user: string,
  subscribed: boolean,
): boolean {
  const forClient = kind === 'presence' ? options.allow_presence_for_client : options.allow_history_for_client;
  const forSubscriber = kind === 'presence' ? options.allow_presence_for_subscriber : options.allow_history_for_subscriber;
  const forAnonymous = kind === 'presence' ? options.allow_presence_for_anonymous : options.allow_history_for_anonymous;
  if (user === '' && !forAnonymous) return false;
  return forClient || (forSubscriber && subscribed);
}

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

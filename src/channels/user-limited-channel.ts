import type { RingcastConfig } from '../config/config-schema.js';

/**
 * Whether the channel names its allowed users after `channel.user_boundary` ("#"), e.g. "dialog#42,43".
 * Only meaningful where the namespace sets `allow_user_limited_channels`.
 */
export function isUserLimitedChannel(config: RingcastConfig, channel: string): boolean {
  const boundary = config.channel.user_boundary;
  return boundary !== '' && channel.includes(boundary);
}

/** The users after the last user boundary, split by `channel.user_separator` (","). */
export function allowedUsers(config: RingcastConfig, channel: string): string[] {
  const { user_boundary: boundary, user_separator: separator } = config.channel;
  if (boundary === '') return [];
  const at = channel.lastIndexOf(boundary);
  if (at < 0) return [];
  const tail = channel.slice(at + boundary.length);
  return separator === '' ? [tail] : tail.split(separator);
}

/** Whether `user` may use the channel: always for a channel without the boundary, else only a listed user. */
export function userAllowedInChannel(config: RingcastConfig, channel: string, user: string): boolean {
  if (!isUserLimitedChannel(config, channel)) return true;
  return allowedUsers(config, channel).includes(user);
}

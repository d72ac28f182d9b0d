import type { RingcastConfig } from '../config/config-schema.js';

/**
 * Whether subscribing needs a subscription token: the channel starts with `channel.private_prefix` ("$" by
 * default). As in Centrifugo the prefix comes first — "$chat:room" is private in namespace "chat", while
 * "chat:$room" is an ordinary channel of "chat". An empty prefix turns the rule off.
 */
export function isPrivateChannel(config: RingcastConfig, channel: string): boolean {
  const prefix = config.channel.private_prefix;
  return prefix !== '' && channel.startsWith(prefix);
}

import type { ChannelAccessOptions, ChannelResolver } from '../session/channel-access.js';

/**
 * The node's channel rules, replaceable while it runs (namespaces and channel options edited on the
 * RealtimeCluster). Every command resolves through the current rules; subscriptions made earlier keep the options
 * they were granted with.
 */
export class SwappableChannelResolver implements ChannelResolver {
  constructor(private current: ChannelResolver) {}

  replace(next: ChannelResolver): void {
    this.current = next;
  }

  resolve(channel: string): ChannelAccessOptions | null {
    return this.current.resolve(channel);
  }

  isPrivate(channel: string): boolean {
    return this.current.isPrivate(channel);
  }

  isUserLimited(channel: string): boolean {
    return this.current.isUserLimited(channel);
  }

  userAllowed(channel: string, user: string): boolean {
    return this.current.userAllowed(channel, user);
  }

  validName(channel: string): boolean {
    return this.current.validName(channel);
  }

  tooLong(channel: string): boolean {
    return this.current.tooLong(channel);
  }
}

import type { ChannelOptions } from '../../src/config/config-schema.js';

/** The channel options a session consults: Centrifugo's namespace options (durations in ms). */
export type ChannelAccessOptions = ChannelOptions;

/** Resolves a channel to its namespace's options; null means the namespace is unknown (error 102). */
export interface ChannelResolver {
  resolve(channel: string): ChannelAccessOptions | null;
  isPrivate(channel: string): boolean;
  isUserLimited(channel: string): boolean;
  /** For a user-limited channel: whether `user` is one of the users named after the user boundary. */
  userAllowed(channel: string, user: string): boolean;
  /** False for a name Centrifugo refuses with 107: too long (bytes), or not matching `channel_regex` / ASCII. */
  validName(channel: string): boolean;
  /** Longer than `channel.max_length` bytes (checked before anything else on subscribe). */
  tooLong(channel: string): boolean;
}

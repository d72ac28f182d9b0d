/** The channel options a session consults (Centrifugo's namespace option names). */
export interface ChannelAccessOptions {
  presence: boolean;
  join_leave: boolean;
  force_push_join_leave: boolean;
  allow_subscribe_for_client: boolean;
  allow_subscribe_for_anonymous: boolean;
  allow_publish_for_subscriber: boolean;
  allow_publish_for_client: boolean;
  allow_publish_for_anonymous: boolean;
  allow_user_limited_channels: boolean;
}

/** Resolves a channel to its namespace's options; null means the namespace is unknown (error 102). */
export interface ChannelResolver {
  resolve(channel: string): ChannelAccessOptions | null;
  isPrivate(channel: string): boolean;
  isUserLimited(channel: string): boolean;
  /** For a user-limited channel: whether `user` is one of the users named after the user boundary. */
  userAllowed(channel: string, user: string): boolean;
  maxLength: number;
}

/**
 * The engine cannot carry this channel name (a NATS subject cannot hold whitespace, wildcards or empty tokens).
 * Callers answer 107 (bad request), as Centrifugo's NATS broker does for wildcard channels: retrying cannot help.
 */
export class ChannelNotSupportedError extends Error {
  readonly code = 'CHANNEL_NOT_SUPPORTED';
  constructor(
    readonly channel: string,
    reason: string,
  ) {
    super(`the engine cannot carry channel ${JSON.stringify(channel)}: ${reason}`);
    this.name = 'ChannelNotSupportedError';
  }
}

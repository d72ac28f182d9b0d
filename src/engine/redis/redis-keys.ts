/**
 * Names of a channel's Redis keys and PUB/SUB channels, as Centrifugo's Redis engine lays them out:
 * `<prefix>.client.<channel>`, `<prefix>.stream.<channel>`, `<prefix>.stream.meta.<channel>`,
 * `<prefix>.result.<channel>.<idempotency key>`, `<prefix>.presence.data.<channel>`, … and, on a Redis Cluster
 * shard, the channel wrapped in a hash tag (`<prefix>.stream.{<channel>}`) so all of a channel's keys share
 * one slot and its Lua scripts may touch them together.
 */
export class RedisKeys {
  readonly controlChannel: string;
  private readonly clientPrefix: string;
  private readonly open: string;
  private readonly close: string;

  constructor(
    readonly prefix: string,
    readonly cluster: boolean,
  ) {
    this.controlChannel = `${prefix}.control`;
    this.clientPrefix = `${prefix}.client.`;
    this.open = cluster ? '{' : '';
    this.close = cluster ? '}' : '';
  }

  private tagged(channel: string): string {
    return this.open + channel + this.close;
  }

  /** The PUB/SUB channel carrying a channel's publications and join/leave events. */
  clientChannel(channel: string): string {
    return this.clientPrefix + this.tagged(channel);
  }

  /** The channel name inside a client PUB/SUB channel name, or undefined when it is not one. */
  channelOf(pubSubChannel: string): string | undefined {
    if (!pubSubChannel.startsWith(this.clientPrefix)) return undefined;
    const rest = pubSubChannel.slice(this.clientPrefix.length);
    if (!this.cluster) return rest;
    if (rest.length < 2 || rest[0] !== '{' || rest[rest.length - 1] !== '}') return undefined;
    return rest.slice(1, -1);
  }

  nodeChannel(nodeId: string): string {
    return `${this.prefix}.node.${nodeId}`;
  }

  stream(channel: string): string {
    return `${this.prefix}.stream.${this.tagged(channel)}`;
  }

  streamMeta(channel: string): string {
    return `${this.prefix}.stream.meta.${this.tagged(channel)}`;
  }

  /** Remembered result of an idempotent publish (empty key = none; the script then ignores it). */
  result(channel: string, idempotencyKey: string): string {
    return `${this.prefix}.result.${this.tagged(channel)}.${idempotencyKey}`;
  }

  presenceData(channel: string): string {
    return `${this.prefix}.presence.data.${this.tagged(channel)}`;
  }

  presenceExpiry(channel: string): string {
    return `${this.prefix}.presence.expire.${this.tagged(channel)}`;
  }

  presenceUserExpiry(channel: string): string {
    return `${this.prefix}.presence.user.expire.${this.tagged(channel)}`;
  }

  presenceUserClients(channel: string): string {
    return `${this.prefix}.presence.user.clients.${this.tagged(channel)}`;
  }
}

/** Where SUBSCRIBE and UNSUBSCRIBE go: the shard's PUB/SUB connection. */
export interface PubSubCommands {
  subscribe(channels: string[]): Promise<unknown>;
  unsubscribe(channels: string[]): Promise<unknown>;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** Most channels in one SUBSCRIBE/UNSUBSCRIBE command. */
const batchLimit = 512;

/**
 * The PUB/SUB channels a shard connection should be subscribed to, and the commands that get it there.
 * Callers only change what is wanted; changes made in one event-loop turn are sent as one SUBSCRIBE and one
 * UNSUBSCRIBE per 512 channels, in an order that leaves Redis in the wanted state however calls interleave
 * (Redis applies commands of one connection in order). A subscribe resolves once Redis confirmed the
 * SUBSCRIBE that carried it. After a reconnect every wanted channel is subscribed again.
 */
export class PubSubSubscriptions {
  private readonly wanted = new Set<string>();
  /** Channels whose last command sent was SUBSCRIBE, with that command's sequence number. */
  private readonly sent = new Map<string, number>();
  private readonly confirmed = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  private connected = false;
  private sequence = 0;

  constructor(
    private readonly commands: PubSubCommands,
    private readonly unavailable: () => Error,
    private readonly onCommandError: (err: unknown) => void,
  ) {}

  get size(): number {
    return this.wanted.size;
  }

  has(channel: string): boolean {
    return this.wanted.has(channel);
  }

  channels(): IterableIterator<string> {
    return this.wanted.values();
  }

  subscribe(channel: string): Promise<void> {
    if (!this.connected) return Promise.reject(this.unavailable());
    this.wanted.add(channel);
    if (this.confirmed.has(channel)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let list = this.waiters.get(channel);
      if (!list) this.waiters.set(channel, (list = []));
      list.push({ resolve, reject });
      this.markDirty(channel);
    });
  }

  /** Stops wanting a channel (resolves a subscribe still waiting for it). */
  unsubscribe(channel: string): void {
    if (!this.wanted.delete(channel)) return;
    this.settle(channel);
    this.markDirty(channel);
  }

  /** Wants a channel for as long as the connection lives, without waiting (control channels). */
  keep(channel: string): void {
    this.wanted.add(channel);
    this.markDirty(channel);
  }

  /**
   * The connection is ready (again): everything wanted is subscribed anew. Resolves with the channels that
   * were subscribed once Redis confirmed them all.
   */
  async connectionReady(): Promise<string[]> {
    this.connected = true;
    this.sent.clear();
    this.confirmed.clear();
    const channels = [...this.wanted];
    const batches: Promise<unknown>[] = [];
    for (let i = 0; i < channels.length; i += batchLimit) {
      batches.push(this.sendSubscribe(channels.slice(i, i + batchLimit)));
    }
    this.dirty.clear();
    await Promise.all(batches);
    return channels.filter((c) => this.confirmed.has(c));
  }

  /**
   * The connection is gone: nothing is subscribed any more. Subscribes still waiting fail (and their channels
   * are no longer wanted: the callers saw the failure); channels already live stay wanted for the reconnect.
   */
  connectionLost(): void {
    this.connected = false;
    this.sent.clear();
    this.confirmed.clear();
    this.dirty.clear();
    const err = this.unavailable();
    for (const [channel, list] of this.waiters) {
      this.wanted.delete(channel);
      for (const waiter of list) waiter.reject(err);
    }
    this.waiters.clear();
  }

  private markDirty(channel: string): void {
    this.dirty.add(channel);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.connected) {
      this.dirty.clear();
      return;
    }
    const add: string[] = [];
    const remove: string[] = [];
    for (const channel of this.dirty) {
      const wanted = this.wanted.has(channel);
      const sent = this.sent.has(channel);
      if (wanted && !sent) add.push(channel);
      else if (!wanted && sent) remove.push(channel);
    }
    this.dirty.clear();
    for (let i = 0; i < remove.length; i += batchLimit) {
      const batch = remove.slice(i, i + batchLimit);
      for (const channel of batch) {
        this.sent.delete(channel);
        this.confirmed.delete(channel);
      }
      this.commands.unsubscribe(batch).catch(this.onCommandError);
    }
    for (let i = 0; i < add.length; i += batchLimit) void this.sendSubscribe(add.slice(i, i + batchLimit));
  }

  private async sendSubscribe(batch: string[]): Promise<void> {
    const sequence = ++this.sequence;
    for (const channel of batch) this.sent.set(channel, sequence);
    try {
      await this.commands.subscribe(batch);
    } catch (err) {
      this.onCommandError(err);
      // The connection is failing; connectionLost settles the waiters. A refusal on a live connection
      // (unlikely for SUBSCRIBE) fails these channels now.
      if (this.connected) {
        const failure = err instanceof Error ? err : this.unavailable();
        for (const channel of batch) {
          if (this.sent.get(channel) !== sequence) continue;
          this.sent.delete(channel);
          this.wanted.delete(channel);
          const list = this.waiters.get(channel);
          this.waiters.delete(channel);
          if (list) for (const waiter of list) waiter.reject(failure);
        }
      }
      return;
    }
    for (const channel of batch) {
      if (this.sent.get(channel) === sequence) {
        this.confirmed.add(channel);
        this.settle(channel);
      }
    }
  }

  private settle(channel: string): void {
    const list = this.waiters.get(channel);
    if (!list) return;
    this.waiters.delete(channel);
    for (const waiter of list) waiter.resolve();
  }
}

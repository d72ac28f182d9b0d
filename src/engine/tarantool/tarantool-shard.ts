import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { EngineUnavailableError } from '../engine-unavailable-error.js';
import { TarantoolConnection, TarantoolConnectionError, type TarantoolEndpoint } from './tarantool-connection.js';
import { schemaLua, schemaVersion } from './tarantool-schema.js';

export interface TarantoolTimeouts {
  /** ms for connecting, the greeting and authentication. */
  connectMs: number;
  /** ms per request. */
  ioMs: number;
}

/** What a shard hands to its engine: pushed PUB/SUB messages, and channels to recover after a reconnect. */
export interface TarantoolShardListener {
  onMessages(shard: TarantoolShard, messages: unknown[]): void;
  onResubscribed(shard: TarantoolShard, channels: string[]): void;
}

/** Seconds a get_messages long poll lasts before it is issued again. */
const pollSeconds = 25;
const subscribeBatch = 512;
const maxBackoffMs = 5_000;

/**
 * One Tarantool instance of the ring, on one IPROTO connection that carries requests and the node's PUB/SUB
 * long poll. On every (re)connect it installs the Lua schema, registers a fresh subscriber id, subscribes the
 * control names and every channel the node still wants, and starts polling; a lost connection makes its
 * channels answer error 100 until then, and is retried with exponential backoff and jitter.
 */
export class TarantoolShard {
  readonly name: string;
  private connection: TarantoolConnection | undefined;
  private subscriberId = '';
  private readonly channels = new Set<string>();
  private controlNames: string[] = [];
  private everReady = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readyWaiters: Array<() => void> = [];

  constructor(
    displayName: string,
    private readonly endpoint: TarantoolEndpoint,
    private readonly timeouts: TarantoolTimeouts,
    private readonly listener: TarantoolShardListener,
    private readonly logger: Logger,
  ) {
    this.name = displayName;
  }

  get ready(): boolean {
    return this.connection !== undefined;
  }

  start(): void {
    void this.connect();
  }

  /** Resolves true once connected, false when `timeoutMs` passed first. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.ready), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.ready);
      });
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let connection: TarantoolConnection | undefined;
    try {
      connection = await TarantoolConnection.open(this.endpoint, this.timeouts.connectMs);
      const io = { timeoutMs: Math.max(this.timeouts.ioMs, 5_000) };
      await connection.eval(schemaLua, [schemaVersion], io);
      const id = randomUUID();
      await connection.call('centrifuge.register', [id], io);
      const controlNames = this.controlNames;
      if (controlNames.length > 0) await connection.call('centrifuge.subscribe_control', [id, controlNames], io);
      const channels = [...this.channels];
      for (let i = 0; i < channels.length; i += subscribeBatch) {
        await connection.call('centrifuge.subscribe', [id, channels.slice(i, i + subscribeBatch)], io);
      }
      if (this.closed || connection.closed) throw new TarantoolConnectionError('connection closed while setting up');
      this.established(connection, id, channels, controlNames);
    } catch (err) {
      connection?.close();
      this.failed(err as Error);
    }
  }

  private established(connection: TarantoolConnection, id: string, channels: string[], controlNames: string[]): void {
    const first = !this.everReady;
    this.connection = connection;
    this.subscriberId = id;
    // Control names given while this connection was being set up.
    if (this.controlNames !== controlNames) void this.listenControl(this.controlNames);
    this.everReady = true;
    this.failures = 0;
    connection.onClose = (reason) => this.lost(connection, reason);
    this.logger.info({ shard: this.name, channels: channels.length }, first ? 'connected to Tarantool' : 'reconnected to Tarantool; channels resubscribed');
    for (const waiter of this.readyWaiters.splice(0)) waiter();
    if (!first) this.listener.onResubscribed(this, channels);
    void this.poll(connection, id);
  }

  private failed(err: Error): void {
    if (this.closed) return;
    this.failures++;
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.logger.warn({ shard: this.name, attempts: this.failures, err: err.message }, 'cannot connect to Tarantool; retrying');
    }
    const base = Math.min(maxBackoffMs, 100 * 2 ** Math.min(this.failures, 6));
    this.retry = setTimeout(() => void this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private lost(connection: TarantoolConnection, reason: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.closed) return;
    this.logger.warn(
      { shard: this.name, err: reason.message },
      'lost the Tarantool shard; reconnecting (its channels answer error 100 meanwhile)',
    );
    this.failures = 0;
    this.retry = setTimeout(() => void this.connect(), 50);
  }

  private async poll(connection: TarantoolConnection, id: string): Promise<void> {
    const onPush = (data: unknown[]): void => {
      const messages = data[0];
      if (Array.isArray(messages)) this.listener.onMessages(this, messages);
    };
    while (!connection.closed && !this.closed) {
      try {
        await connection.call('centrifuge.get_messages', [id, pollSeconds], { timeoutMs: (pollSeconds + 10) * 1000, onPush });
      } catch (err) {
        if (!connection.closed && !this.closed) {
          this.logger.warn({ shard: this.name, err: (err as Error).message }, 'Tarantool PUB/SUB poll failed; reconnecting');
          connection.close(err as Error);
        }
        return;
      }
    }
  }

  /** Calls a `centrifuge.*` function; EngineUnavailableError while the shard is not connected. */
  async call(fn: string, args: readonly unknown[]): Promise<unknown[]> {
    const connection = this.connection;
    if (!connection) throw new EngineUnavailableError(`Tarantool shard ${this.name} is not available`, this.name);
    try {
      return await connection.call(`centrifuge.${fn}`, args, { timeoutMs: this.timeouts.ioMs });
    } catch (err) {
      if (err instanceof TarantoolConnectionError) {
        throw new EngineUnavailableError(`Tarantool shard ${this.name}: ${err.message}`, this.name, { cause: err });
      }
      throw err;
    }
  }

  /** Subscribes this node to a channel on this shard (kept across reconnects). */
  async subscribe(channel: string): Promise<void> {
    if (!this.connection) throw new EngineUnavailableError(`Tarantool shard ${this.name} is not available`, this.name);
    this.channels.add(channel);
    try {
      await this.call('subscribe', [this.subscriberId, [channel]]);
    } catch (err) {
      this.channels.delete(channel);
      throw err;
    }
  }

  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel) || !this.connection) return;
    this.call('unsubscribe', [this.subscriberId, [channel]]).catch(() => {
      // The next reconnect registers a fresh subscriber without it.
    });
  }

  /** Control names this node listens to on this shard (every shard: a sender picks any). */
  async listenControl(names: string[]): Promise<void> {
    this.controlNames = names;
    if (this.connection) await this.call('subscribe_control', [this.subscriberId, names]).catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const connection = this.connection;
    this.connection = undefined;
    connection?.close();
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }
}

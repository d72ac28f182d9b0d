import type { Logger } from 'pino';
import type { Metrics, RedisShardTally } from '../../observability/metrics.js';
import type { ShardSpec } from '../../sharding/ring.js';
import { EngineUnavailableError } from '../engine-unavailable-error.js';
import { PubSubSubscriptions } from './pubsub-subscriptions.js';
import { createRedisClient, type RedisClient } from './redis-clients.js';
import type { RedisConnectionSettings } from './redis-connection-settings.js';
import { RedisKeys } from './redis-keys.js';
import { redact, type ShardTarget } from './shard-address.js';

/** What a shard reports to the engine. */
export interface ShardListener {
  /** A message on one of the shard's PUB/SUB channels (called in arrival order, synchronously). */
  onMessage(shard: RedisShard, channel: Buffer, message: Buffer): void;
  /**
   * The PUB/SUB connection came back after being lost and these channels are subscribed again: whatever was
   * published on them meanwhile did not arrive.
   */
  onResubscribed(shard: RedisShard, channels: string[]): void;
}

/**
 * One shard of the ring as one node uses it: an auto-pipelined command connection and a PUB/SUB connection
 * (to a Redis, a Sentinel-managed master or a Redis Cluster), their health, and the PUB/SUB channels wanted.
 * Both connections reconnect by themselves; while the command connection is down every command for the
 * shard's channels fails at once with EngineUnavailableError.
 */
export class RedisShard {
  readonly keys: RedisKeys;
  readonly commands: RedisClient;
  readonly subscriptions: PubSubSubscriptions;
  readonly tally: RedisShardTally;
  private readonly pubsub: RedisClient;
  private commandsUp = false;
  private pubsubUp = false;
  private connectedOnce = false;
  private pubsubConnectedOnce = false;
  /** Whether the current outage was logged (one error line per outage, not one per retry). */
  private outageLogged = false;
  private closed = false;
  private readonly readyWaiters: Array<() => void> = [];

  constructor(
    readonly spec: ShardSpec,
    readonly target: ShardTarget,
    settings: RedisConnectionSettings,
    prefix: string,
    private readonly listener: ShardListener,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.keys = new RedisKeys(prefix, target.mode === 'cluster');
    this.tally = metrics.redisShardTally(spec.name);
    this.commands = createRedisClient(target, settings, 'commands');
    this.pubsub = createRedisClient(target, settings, 'pubsub');
    this.subscriptions = new PubSubSubscriptions(
      {
        subscribe: (channels) => this.counted(this.pubsub.subscribe(...channels)),
        unsubscribe: (channels) => this.counted(this.pubsub.unsubscribe(...channels)),
      },
      () => this.unavailableError(),
      (err) => this.logger.debug({ shard: this.name, err: errorMessage(err) }, 'Redis PUB/SUB command failed'),
    );
    this.watchCommands();
    this.watchPubSub();
  }

  get name(): string {
    return this.spec.name;
  }

  get ready(): boolean {
    return this.commandsUp && this.pubsubUp;
  }

  /** Commands queued for the next pipeline write plus commands awaiting replies. */
  get pipelineDepth(): number {
    const client = this.commands as RedisClient & { commandQueue?: { length: number } };
    return client.autoPipelineQueueSize + (client.commandQueue?.length ?? 0);
  }

  /** Starts connecting (both connections); never throws: an unreachable shard keeps being retried. */
  start(): void {
    this.commands.connect().catch(() => {});
    this.pubsub.connect().catch(() => {});
  }

  /** Resolves true once both connections are up, or false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Throws the error every command for this shard's channels gets while its command connection is down. */
  ensureAvailable(): void {
    if (!this.commandsUp) throw this.unavailableError();
  }

  unavailableError(): EngineUnavailableError {
    return new EngineUnavailableError(`Redis shard ${this.name} is unavailable`, this.name);
  }

  /** Counts one command (and its failure) on this shard. */
  counted<T>(command: Promise<T>): Promise<T> {
    this.tally.commands++;
    return command.catch((err: unknown) => {
      this.tally.errors++;
      throw err;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriptions.connectionLost();
    this.commands.disconnect();
    this.pubsub.disconnect();
  }

  private watchCommands(): void {
    const client = this.commands;
    client.on('ready', () => {
      this.commandsUp = true;
      if (this.connectedOnce) this.tally.reconnects++;
      this.connectedOnce = true;
      this.checkReady();
    });
    client.on('close', () => {
      if (this.commandsUp && !this.closed) {
        this.logger.warn({ shard: this.name }, `lost the connection to Redis shard ${this.name}; reconnecting`);
      }
      this.commandsUp = false;
    });
    client.on('error', (err: unknown) => this.reportError(err));
  }

  private watchPubSub(): void {
    const client = this.pubsub;
    client.on('ready', () => {
      this.logger.debug({ shard: this.name }, 'Redis PUB/SUB connection ready');
      this.pubsubUp = true;
      const again = this.pubsubConnectedOnce;
      this.pubsubConnectedOnce = true;
      this.subscriptions.connectionReady().then(
        (channels) => {
          // Subscribers told to recover read history at once: tell them when commands work again too.
          if (again && channels.length > 0) this.readyWaiters.push(() => this.listener.onResubscribed(this, channels));
          this.checkReady();
        },
        (err: unknown) => this.reportError(err),
      );
    });
    client.on('close', () => {
      this.logger.debug({ shard: this.name }, 'Redis PUB/SUB connection closed');
      this.pubsubUp = false;
      this.subscriptions.connectionLost();
    });
    client.on('error', (err: unknown) => this.reportError(err));
    client.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      this.tally.pubsubMessages++;
      this.listener.onMessage(this, channel, message);
    });
  }

  private checkReady(): void {
    if (!this.ready) return;
    if (this.outageLogged) {
      this.logger.info({ shard: this.name }, `Redis shard ${this.name} is available again`);
    }
    this.outageLogged = false;
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  private reportError(err: unknown): void {
    if (this.closed) return;
    this.tally.errors++;
    const message = errorMessage(err);
    if (this.outageLogged) {
      this.logger.debug({ shard: this.name, err: message }, 'Redis shard still unavailable');
      return;
    }
    this.outageLogged = true;
    this.logger.error(
      { shard: this.name, address: redact(this.spec.address), err: message },
      `cannot use Redis shard ${this.name} (${redact(this.spec.address)}): ${message}; its channels answer ` +
        'error 100 until it is reachable',
    );
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0]);
  return err instanceof Error ? err.message || err.name : String(err);
}

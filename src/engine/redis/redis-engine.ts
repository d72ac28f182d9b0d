import type { Logger } from 'pino';
import type { Metrics } from '../../observability/metrics.js';
import type { Ring } from '../../sharding/ring.js';
import type { EngineHealth } from '../engine-health.js';
import type { ShardSource } from '../../sharding/shard-source.js';
import { RedisBroker } from './redis-broker.js';
import type { RedisConnectionSettings } from './redis-connection-settings.js';
import { RedisControl } from './redis-control.js';
import { RedisPresenceManager } from './redis-presence.js';
import { RedisRing } from './redis-ring.js';
import type { RedisShard, ShardListener } from './redis-shard.js';
import { redact } from './shard-address.js';

export interface RedisEngineOptions {
  /** Prefix of every key and PUB/SUB channel (`engine.redis.prefix`, Centrifugo's default "centrifugo"). */
  prefix: string;
  connection: RedisConnectionSettings;
  /** `channel.history_meta_ttl`. */
  historyMetaTtlMs: number;
  /** `engine.redis.presence_user_mapping`. */
  presenceUserMapping: boolean;
  /** How long `start` waits for the shards before serving anyway (their channels answer error 100 meanwhile). */
  startTimeoutMs: number;
}

/**
 * The Redis engine of one node: the ring of shards (from a ShardSource, swapped at runtime), the broker,
 * presence manager and control channel on it.
 */
export class RedisEngine implements ShardListener {
  readonly ring: RedisRing;
  readonly broker: RedisBroker;
  readonly presence: RedisPresenceManager;
  readonly control: RedisControl;
  private stopWatching: (() => void) | undefined;
  private changes: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: ShardSource,
    private readonly options: RedisEngineOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.ring = new RedisRing(options.prefix, options.connection, this, logger, metrics);
    this.broker = new RedisBroker(this.ring, { historyMetaTtlMs: options.historyMetaTtlMs }, logger, metrics);
    this.presence = new RedisPresenceManager(this.ring, { userMapping: options.presenceUserMapping });
    this.control = new RedisControl(this.ring, logger);
    metrics.reportRedisShards(() => this.ring.gauges());
  }

  /** Learns the ring, connects to its shards (waiting up to `startTimeoutMs`) and follows ring changes. */
  async start(): Promise<void> {
    await this.source.start();
    const ring = this.source.current();
    if (!ring) throw new Error('the shard source started without a ring');
    this.ring.apply(ring);
    const shards = this.ring.all();
    const ready = await Promise.all(shards.map((shard) => shard.whenReady(this.options.startTimeoutMs)));
    shards.forEach((shard, i) => {
      if (!ready[i]) {
        this.logger.warn(
          { shard: shard.name, address: redact(shard.spec.address) },
          `Redis shard ${shard.name} is not reachable yet; serving the other shards' channels meanwhile`,
        );
      }
    });
    this.logger.info({ ringVersion: ring.version, shards: shards.map((s) => s.name) }, 'Redis ring in use');
    this.stopWatching = this.source.onChange((next) => {
      this.changes = this.changes.then(() => this.replaceRing(next));
    });
  }

  /** Waits until every ring change received so far is applied (tests, orderly shutdown). */
  settled(): Promise<void> {
    return this.changes;
  }

  health(): EngineHealth {
    const shards = this.ring.all().map((shard) => ({ name: shard.name, ready: shard.ready }));
    return { ready: shards.some((s) => s.ready), ringVersion: this.ring.ring?.version, shards };
  }

  onMessage(shard: RedisShard, channel: Buffer, message: Buffer): void {
    const name = channel.toString('utf8');
    if (!this.control.receive(shard, name, message)) this.broker.receiver.receive(shard, name, message);
  }

  onResubscribed(shard: RedisShard, pubSubChannels: string[]): void {
    const channels: string[] = [];
    for (const pubSubChannel of pubSubChannels) {
      const channel = shard.keys.channelOf(pubSubChannel);
      if (channel !== undefined) channels.push(channel);
    }
    this.logger.info({ shard: shard.name, channels: channels.length }, 'resubscribed after reconnecting to Redis');
    if (channels.length > 0) this.broker.receiver.interrupted(channels);
  }

  private async replaceRing(ring: Ring): Promise<void> {
    let change;
    try {
      change = this.ring.apply(ring);
    } catch (err) {
      this.logger.error({ ringVersion: ring.version, err: (err as Error).message }, 'ignored a ring that does not parse');
      return;
    }
    for (const shard of change.added) this.control.attach(shard);
    const moved = await this.broker.rebalance();
    await Promise.all(change.removed.map((shard) => shard.close()));
    this.logger.info(
      {
        ringVersion: ring.version,
        shards: this.ring.all().map((s) => s.name),
        added: change.added.map((s) => s.name),
        removed: change.removed.map((s) => s.name),
        movedChannels: moved.length,
      },
      'Redis ring replaced',
    );
  }

  async close(): Promise<void> {
    this.stopWatching?.();
    await this.changes;
    await this.broker.close();
    await this.source.close();
    await this.ring.close();
  }
}

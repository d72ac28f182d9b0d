import type { Logger } from 'pino';
import { shardIndex } from '../../sharding/jump-hash.js';
import type { EngineHealth } from '../engine-health.js';
import { parseTarantoolAddress, redactTarantoolAddress } from './tarantool-address.js';
import { TarantoolBroker, type ShardPicker } from './tarantool-broker.js';
import { TarantoolControl } from './tarantool-control.js';
import { TarantoolPresenceManager } from './tarantool-presence.js';
import { decodePushedMessage } from './tarantool-replies.js';
import { TarantoolShard, type TarantoolShardListener, type TarantoolTimeouts } from './tarantool-shard.js';

export interface TarantoolEngineOptions {
  /** Instances in order: the shards (`engine.tarantool.address`). */
  addresses: string[];
  user: string;
  password: string;
  timeouts: TarantoolTimeouts;
  /** `channel.history_meta_ttl`. */
  historyMetaTtlMs: number;
  /** How long `start` waits for the shards before serving anyway (their channels answer error 100 meanwhile). */
  startTimeoutMs: number;
}

/**
 * The Tarantool engine of one node: a shard per instance, channels spread over them by the jump hash of
 * FNV-1a 64 as on the Redis ring, and the broker, presence manager and control channel on them.
 */
export class TarantoolEngine implements TarantoolShardListener, ShardPicker {
  readonly shards: TarantoolShard[];
  readonly broker: TarantoolBroker;
  readonly presence: TarantoolPresenceManager;
  readonly control: TarantoolControl;

  constructor(
    private readonly options: TarantoolEngineOptions,
    private readonly logger: Logger,
  ) {
    if (options.addresses.length === 0) throw new Error('the Tarantool engine needs at least one address');
    this.shards = options.addresses.map(
      (address) =>
        new TarantoolShard(
          redactTarantoolAddress(address),
          parseTarantoolAddress(address, options.user, options.password),
          options.timeouts,
          this,
          logger,
        ),
    );
    this.broker = new TarantoolBroker(this, { historyMetaTtlMs: options.historyMetaTtlMs }, logger);
    this.presence = new TarantoolPresenceManager(this);
    this.control = new TarantoolControl(() => this.shards, logger);
  }

  shardFor(channel: string): TarantoolShard {
    const shards = this.shards;
    return shards.length === 1 ? shards[0]! : shards[shardIndex(channel, shards.length)]!;
  }

  async start(): Promise<void> {
    for (const shard of this.shards) shard.start();
    const ready = await Promise.all(this.shards.map((shard) => shard.whenReady(this.options.startTimeoutMs)));
    this.shards.forEach((shard, i) => {
      if (!ready[i]) {
        this.logger.warn({ shard: shard.name }, `Tarantool shard ${shard.name} is not reachable yet; serving the other shards' channels meanwhile`);
      }
    });
    this.logger.info({ shards: this.shards.map((s) => s.name) }, 'Tarantool shards in use');
  }

  onMessages(shard: TarantoolShard, messages: unknown[]): void {
    for (const value of messages) {
      let message;
      try {
        message = decodePushedMessage(value);
      } catch (err) {
        this.logger.warn({ shard: shard.name, err: (err as Error).message }, 'skipped a malformed Tarantool message');
        continue;
      }
      if (message.type === 'c') this.control.receive(message);
      else this.broker.receive(shard, message);
    }
  }

  onResubscribed(shard: TarantoolShard, channels: string[]): void {
    this.broker.interrupted(shard, channels);
  }

  health(): EngineHealth {
    const shards = this.shards.map((shard) => ({ name: shard.name, ready: shard.ready }));
    return { ready: shards.some((s) => s.ready), ringVersion: undefined, shards };
  }

  async close(): Promise<void> {
    await this.broker.close();
    await Promise.all(this.shards.map((shard) => shard.close()));
  }
}

import pino from 'pino';
import { Metrics } from '../../src/observability/metrics.js';
import { RedisEngine } from '../../src/engine/redis/redis-engine.js';
import type { RedisConnectionSettings } from '../../src/engine/redis/redis-connection-settings.js';
import type { ShardSpec } from '../../src/sharding/ring.js';
import { StaticShardSource } from '../../src/sharding/static-shard-source.js';
import type { ControlFactory } from './control-contract.js';
import type { BrokerFactory, PresenceFactory } from './engine-fixture.js';

export const testConnectionSettings: RedisConnectionSettings = {
  db: 0,
  user: '',
  password: '',
  clientName: '',
  tls: undefined,
  connectTimeoutMs: 2000,
  ioTimeoutMs: 4000,
  sentinelUser: '',
  sentinelPassword: '',
  sentinelMasterName: '',
  sentinelClientName: '',
  sentinelTls: undefined,
};

const noCounts = { connections: () => 0, users: () => 0, subscriptions: () => 0, channels: () => 0 };

/** A started Redis engine on the given shards, with a fresh key prefix so runs never see each other's keys. */
export async function startRedisEngine(shards: readonly ShardSpec[], prefix: string): Promise<RedisEngine> {
  const engine = new RedisEngine(
    new StaticShardSource({ version: 0, shards }),
    { prefix, connection: testConnectionSettings, historyMetaTtlMs: 0, presenceUserMapping: false, startTimeoutMs: 10_000 },
    pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' }),
    new Metrics(noCounts),
  );
  await engine.start();
  return engine;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let prefixes = 0;

/**
 * Contract factories over real Redis: time is real, so `advance` sleeps (TTLs are set in milliseconds with
 * PEXPIRE and presence scores carry milliseconds); 1000 ms units keep the checks far from the deadlines even on
 * a busy machine.
 */
export function redisFactories(shards: () => readonly ShardSpec[]): {
  broker: BrokerFactory;
  presence: PresenceFactory;
  control: ControlFactory;
} {
  const engineFor = () => startRedisEngine(shards(), `ringcast-test-${process.pid}-${++prefixes}`);
  return {
    broker: async () => {
      const engine = await engineFor();
      return { broker: engine.broker, advance: sleep, ttlUnitMs: 1000, cleanup: () => engine.close() };
    },
    presence: async () => {
      const engine = await engineFor();
      return { presence: engine.presence, advance: sleep, ttlUnitMs: 1000, cleanup: () => engine.close() };
    },
    control: async () => {
      const prefix = `ringcast-test-${process.pid}-${++prefixes}`;
      const engines = [await startRedisEngine(shards(), prefix), await startRedisEngine(shards(), prefix)];
      return {
        controllers: [engines[0]!.control, engines[1]!.control],
        cleanup: async () => {
          await Promise.all(engines.map((e) => e.close()));
        },
      };
    },
  };
}

import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { engineSelection } from '../../src/config/engine-selection.js';
import type { Broker } from '../../src/engine/broker.js';
import type { Controller } from '../../src/engine/controller.js';
import type { EngineHealth } from '../../src/engine/engine-health.js';
import { MemoryBroker } from '../../src/engine/memory/memory-broker.js';
import { MemoryPresenceManager } from '../../src/engine/memory/memory-presence.js';
import { natsEngineOptions } from '../../src/engine/nats/nats-config.js';
import { NatsEngine } from '../../src/engine/nats/nats-engine.js';
import type { PresenceManager } from '../../src/engine/presence-manager.js';
import { tarantoolEngineOptions } from '../../src/engine/tarantool/tarantool-config.js';
import { TarantoolEngine } from '../../src/engine/tarantool/tarantool-engine.js';
import { defaultShardName, redisEngineOptions, ringFromConfig } from '../../src/engine/redis/redis-config.js';
import { RedisEngine } from '../../src/engine/redis/redis-engine.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { FileShardSource } from '../../src/sharding/file-shard-source.js';
import type { ShardSource } from '../../src/sharding/shard-source.js';
import { StaticShardSource } from '../../src/sharding/static-shard-source.js';
import type { Clock } from '../../src/timing/clock.js';

/** The engine a node runs on: broker and presence, plus node-to-node control when there is a cluster. */
export interface NodeEngine {
  readonly broker: Broker;
  readonly presence: PresenceManager;
  /** Absent on the memory broker (the node is the whole cluster). */
  readonly controller: Controller | undefined;
  /** Per-server readiness; undefined for the memory engine (always ready). */
  health(): EngineHealth | undefined;
  /** The Redis engine itself, when that is the engine (tests and diagnostics). */
  readonly redis: RedisEngine | undefined;
  close(): Promise<void>;
}

export interface EngineDependencies {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Where the Redis ring comes from instead of the config (the Kubernetes RealtimeCluster status). */
  shardSource?: ShardSource;
}

/** One started backend: what it offers and how it reports and stops. */
interface Backend {
  broker?: Broker;
  presence?: PresenceManager;
  controller?: Controller;
  health?: () => EngineHealth;
  redis?: RedisEngine;
  close(): Promise<void>;
}

function shardSourceFromConfig(config: RingcastConfig, logger: Logger): ShardSource {
  const ringFile = config.ringcast.engine.redis.ring_file;
  if (ringFile) return new FileShardSource({ path: ringFile, logger, defaultName: defaultShardName });
  return new StaticShardSource(ringFromConfig(config.engine.redis));
}

async function startRedis(config: RingcastConfig, deps: EngineDependencies, section: 'engine' | 'presence_manager'): Promise<Backend> {
  const source =
    section === 'engine'
      ? (deps.shardSource ?? shardSourceFromConfig(config, deps.logger))
      : new StaticShardSource(ringFromConfig(config.presence_manager.redis));
  const logger = deps.logger.child({ component: section === 'engine' ? 'redis' : 'redis-presence' });
  const engine = new RedisEngine(source, redisEngineOptions(config, section), logger, deps.metrics);
  await engine.start();
  return {
    broker: engine.broker,
    presence: engine.presence,
    controller: engine.control,
    health: () => engine.health(),
    redis: engine,
    close: () => engine.close(),
  };
}

async function startNats(config: RingcastConfig, deps: EngineDependencies): Promise<Backend> {
  const engine = new NatsEngine(natsEngineOptions(config, config.node.name || hostname()), deps.logger.child({ component: 'nats' }));
  await engine.start();
  return { broker: engine.broker, controller: engine.control, health: () => engine.health(), close: () => engine.close() };
}

async function startTarantool(config: RingcastConfig, deps: EngineDependencies): Promise<Backend> {
  const engine = new TarantoolEngine(tarantoolEngineOptions(config), deps.logger.child({ component: 'tarantool' }));
  await engine.start();
  return {
    broker: engine.broker,
    presence: engine.presence,
    controller: engine.control,
    health: () => engine.health(),
    close: () => engine.close(),
  };
}

/** Several backends' health as one: ready when each has a reachable server. */
function combinedHealth(backends: readonly Backend[]): (() => EngineHealth) | undefined {
  const reporting = backends.filter((b) => b.health);
  if (reporting.length === 0) return undefined;
  if (reporting.length === 1) return reporting[0]!.health;
  return () => {
    const all = reporting.map((b) => b.health!());
    return { ready: all.every((h) => h.ready), ringVersion: all.find((h) => h.ringVersion !== undefined)?.ringVersion, shards: all.flatMap((h) => h.shards) };
  };
}

/**
 * Builds and starts what the config selects (engine.type, or Centrifugo's separate `broker` and
 * `presence_manager`): for Redis it learns the ring and connects to its shards; for NATS and Tarantool it
 * connects (installing the Lua schema on each Tarantool instance).
 */
export async function startEngine(config: RingcastConfig, deps: EngineDependencies): Promise<NodeEngine> {
  const selection = engineSelection(config);
  const backends: Backend[] = [];
  const closeAll = async () => {
    for (const backend of backends.reverse()) await backend.close();
  };
  try {
    let brokerBackend: Backend;
    if (selection.broker === 'redis') brokerBackend = await startRedis(config, deps, 'engine');
    else if (selection.broker === 'nats') brokerBackend = await startNats(config, deps);
    else if (selection.broker === 'tarantool') brokerBackend = await startTarantool(config, deps);
    else {
      const broker = new MemoryBroker({ clock: deps.clock, historyMetaTtlMs: config.channel.history_meta_ttl });
      brokerBackend = { broker, close: () => broker.close() };
    }
    backends.push(brokerBackend);

    let presence: PresenceManager;
    if (selection.presence === 'redis' && brokerBackend.redis) presence = brokerBackend.presence!;
    else if (selection.presence === 'tarantool' && selection.broker === 'tarantool') presence = brokerBackend.presence!;
    else if (selection.presence === 'tarantool') {
      const backend = await startTarantool(config, deps);
      backends.push({ ...backend, controller: undefined });
      presence = backend.presence!;
    }
    else if (selection.presence === 'redis' || selection.presence === 'presence-manager-redis') {
      const section = selection.presence === 'redis' ? 'engine' : 'presence_manager';
      const backend = await startRedis(config, deps, section);
      // Only its presence is used: the broker's own control carries the cluster.
      backends.push({ ...backend, controller: undefined });
      presence = backend.presence!;
    } else {
      const memory = new MemoryPresenceManager({ clock: deps.clock });
      backends.push({ presence: memory, close: () => memory.close() });
      presence = memory;
    }
    const health = combinedHealth(backends);
    return {
      broker: brokerBackend.broker!,
      presence,
      controller: brokerBackend.controller,
      health: () => health?.(),
      redis: backends.find((b) => b.redis)?.redis,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

import type { RingcastConfig } from '../../config/config-schema.js';
import { tlsClientOptions } from '../../config/tls-client-options.js';
import type { Ring, ShardSpec } from '../../sharding/ring.js';
import type { RedisConnectionSettings } from './redis-connection-settings.js';
import type { RedisEngineOptions } from './redis-engine.js';
import { clusterAddress, redact, sentinelAddress } from './shard-address.js';

type RedisConfig = RingcastConfig['engine']['redis'];

/** The connection options shared by every shard, from `engine.redis.*` (Centrifugo's names). */
export function redisConnectionSettings(redis: RedisConfig, key = 'engine.redis'): RedisConnectionSettings {
  return {
    db: redis.db,
    user: redis.user,
    password: redis.password,
    clientName: redis.client_name,
    tls: tlsClientOptions(redis.tls, `${key}.tls`),
    connectTimeoutMs: redis.connect_timeout,
    ioTimeoutMs: redis.io_timeout,
    sentinelUser: redis.sentinel_user,
    sentinelPassword: redis.sentinel_password,
    sentinelMasterName: redis.sentinel_master_name,
    sentinelClientName: redis.sentinel_client_name,
    sentinelTls: tlsClientOptions(redis.sentinel_tls, `${key}.sentinel_tls`),
  };
}

/** The Redis engine's options from `engine.redis`, or from `presence_manager.redis` for a presence-only ring. */
export function redisEngineOptions(config: RingcastConfig, section: 'engine' | 'presence_manager' = 'engine'): RedisEngineOptions {
  const redis = section === 'engine' ? config.engine.redis : config.presence_manager.redis;
  return {
    prefix: redis.prefix,
    connection: redisConnectionSettings(redis, `${section}.redis`),
    historyMetaTtlMs: config.channel.history_meta_ttl,
    presenceUserMapping: redis.presence_user_mapping,
    startTimeoutMs: Math.max(redis.connect_timeout, 1000),
  };
}

/** A shard's name when the ring does not give one: its address without credentials. */
export function defaultShardName(address: string): string {
  return redact(address).replace(/\/\/[^@/]*@/, '//');
}

/**
 * The static ring of the node config, as Centrifugo reads it: `cluster_address` entries (one Redis Cluster
 * per shard) win over `sentinel_address` entries (one Sentinel-managed master per shard), which win over
 * `address`.
 */
export function ringFromConfig(redis: RedisConfig): Ring {
  let addresses: string[];
  if (redis.cluster_address.length > 0) addresses = redis.cluster_address.map((a) => clusterAddress(a));
  else if (redis.sentinel_address.length > 0) {
    addresses = redis.sentinel_address.map((a) => sentinelAddress(a, redis.sentinel_master_name));
  } else addresses = redis.address;
  const shards: ShardSpec[] = addresses.map((address) => ({ name: defaultShardName(address), address }));
  return { version: 0, shards };
}

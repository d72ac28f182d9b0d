import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisConnectionSettings } from './redis-connection-settings.js';
import { reconnectDelayMs } from './redis-connection-settings.js';
import type { ShardTarget } from './shard-address.js';

/** A shard's client: one Redis, a Sentinel-managed master, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Builds one client for a shard. Both clients of a shard fail fast while disconnected (no offline queue, no
 * retry of commands cut off by a disconnect: a publish must never be sent twice), reconnect by themselves with
 * backoff and jitter, and speak RESP2. The command client pipelines automatically: commands issued in one
 * event-loop turn leave in one write.
 */
export function createRedisClient(
  target: ShardTarget,
  settings: RedisConnectionSettings,
  role: 'commands' | 'pubsub',
): RedisClient {
  const common: RedisOptions = {
    lazyConnect: true,
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    enableReadyCheck: true,
    connectTimeout: target.connectTimeoutMs ?? settings.connectTimeoutMs,
    username: target.user ?? (settings.user || undefined),
    password: target.password ?? (settings.password || undefined),
    db: target.db ?? settings.db,
    retryStrategy: (attempt) => reconnectDelayMs(attempt),
  };
  if (settings.clientName) common.connectionName = settings.clientName;
  if (role === 'commands') {
    common.enableAutoPipelining = true;
    common.commandTimeout = target.ioTimeoutMs ?? settings.ioTimeoutMs;
  }
  const tls = target.tls === true ? (settings.tls ?? {}) : target.tls === false ? undefined : settings.tls;
  if (tls) common.tls = tls;

  if (target.mode === 'cluster') {
    const { db: _db, retryStrategy: _retry, enableOfflineQueue: _queue, ...redisOptions } = common;
    const options: ClusterOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      enableAutoPipelining: role === 'commands',
      scaleReads: 'master',
      clusterRetryStrategy: (attempt) => reconnectDelayMs(attempt),
      redisOptions,
    };
    return new Cluster(target.hosts, options);
  }
  if (target.mode === 'sentinel') {
    const sentinelTls = target.sentinelTls === true ? (settings.sentinelTls ?? {}) : settings.sentinelTls;
    return new Redis({
      ...common,
      sentinels: target.hosts,
      name: target.sentinelMasterName ?? settings.sentinelMasterName,
      sentinelUsername: target.sentinelUser ?? (settings.sentinelUser || undefined),
      sentinelPassword: target.sentinelPassword ?? (settings.sentinelPassword || undefined),
      ...(sentinelTls ? { sentinelTLS: sentinelTls } : {}),
      ...(tls ? { enableTLSForSentinelMode: true } : {}),
      sentinelRetryStrategy: (attempt) => reconnectDelayMs(attempt),
    });
  }
  if (target.path !== undefined) return new Redis({ ...common, path: target.path });
  const [first] = target.hosts;
  return new Redis({ ...common, host: first!.host, port: first!.port });
}

import { bool, durationMs, int, oneOf, section, str, strList } from './config-fields.js';
import { tlsShape } from './tls-schema.js';

// The engine sections of the node configuration with Centrifugo v6's key names: `engine` (a broker and
// presence manager together), and `broker` / `presence_manager` to pick them separately, as Centrifugo allows.

/** A ring of Redis shards and how to reach them (`engine.redis`, `presence_manager.redis`). */
const redisShape = {
  /** Shards, in order (the ring). */
  address: strList(['redis://127.0.0.1:6379']),
  /** Redis Cluster shards instead: one entry per shard, seed addresses comma-separated. */
  cluster_address: strList(),
  /** Sentinel-managed shards instead: one entry per shard, Sentinel addresses comma-separated. */
  sentinel_address: strList(),
  sentinel_master_name: str(),
  sentinel_user: str(),
  sentinel_password: str(),
  sentinel_client_name: str(),
  sentinel_tls: section(tlsShape),
  tls: section(tlsShape),
  prefix: str('centrifugo'),
  /** ms */
  connect_timeout: durationMs('1s'),
  /** ms */
  io_timeout: durationMs('4s'),
  db: int(0),
  user: str(),
  password: str(),
  client_name: str(),
  force_resp2: bool(),
  /** ms */
  presence_ttl: durationMs('60s'),
  /** Keep Centrifugo's per-user presence index (presence stats counted in Redis); all nodes must agree. */
  presence_user_mapping: bool(),
};

export const redisSection = section(redisShape);

/** `broker.nats`: Centrifugo's NATS broker (at-most-once PUB/SUB, no history). */
const natsSection = section({
  /** One server URL or several, comma-separated; credentials may be in the URL (`nats://user:pass@host:4222`). */
  url: str('nats://localhost:4222'),
  prefix: str('centrifugo'),
  /** ms */
  dial_timeout: durationMs('1s'),
  /** ms */
  write_timeout: durationMs('1s'),
  tls: section(tlsShape),
  /** Centrifugo's wildcard subscriptions; not supported (a channel with `*` or `>` is refused). */
  allow_wildcards: bool(),
  /** Centrifugo's raw mode (unframed payloads on bare subjects); not supported. */
  raw_mode: section({ enabled: bool(), prefix: str() }),
});

/** `engine.tarantool`: channels, history and presence in Tarantool, sharded like the Redis ring. */
const tarantoolSection = section({
  /** Instances, in order (the shards): `host:port`, `tcp://host:port` or `tarantool://user:pass@host:port`. */
  address: strList(['127.0.0.1:3301']),
  user: str(),
  password: str(),
  /** ms */
  connect_timeout: durationMs('1s'),
  /** ms, per request */
  io_timeout: durationMs('4s'),
  /** ms */
  presence_ttl: durationMs('60s'),
});

export const engineSections = {
  engine: section({
    type: oneOf(['memory', 'redis', 'nats', 'tarantool'], 'memory'),
    redis: redisSection,
    tarantool: tarantoolSection,
  }),
  /** A broker chosen apart from the engine (Centrifugo v6); with `enabled` it replaces the engine's broker. */
  broker: section({
    enabled: bool(),
    type: oneOf(['memory', 'nats', 'redis', 'postgres', 'redisnats'], 'memory'),
    nats: natsSection,
  }),
  /** A presence manager chosen apart from the engine (Centrifugo v6); with `enabled` it replaces the engine's. */
  presence_manager: section({
    enabled: bool(),
    type: oneOf(['memory', 'redis'], 'memory'),
    redis: redisSection,
  }),
};

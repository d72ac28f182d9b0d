import { ShardAddressError, parseShardAddress } from '../engine/redis/shard-address.js';
import { ConfigError } from './config-error.js';
import type { ChannelOptions, RingcastConfig } from './config-schema.js';
import { engineSelection } from './engine-selection.js';

type RedisSection = RingcastConfig['engine']['redis'];

function checkRedisAddresses(key: string, redis: RedisSection): void {
  if (redis.address.length === 0 && redis.cluster_address.length === 0 && redis.sentinel_address.length === 0) {
    throw new ConfigError(`${key}.address`, 'the redis engine needs at least one address');
  }
  if (redis.sentinel_address.length > 0 && redis.cluster_address.length === 0 && redis.sentinel_master_name === '') {
    throw new ConfigError(`${key}.sentinel_master_name`, `must be set when ${key}.sentinel_address is`);
  }
  redis.address.forEach((address, i) => {
    try {
      parseShardAddress(address);
    } catch (err) {
      if (err instanceof ShardAddressError) throw new ConfigError(`${key}.address[${i}]`, err.message);
      throw err;
    }
  });
}

/** Every channel options block with its dotted key. */
function channelOptionBlocks(config: RingcastConfig): Array<[string, ChannelOptions]> {
  return [
    ['channel.without_namespace', config.channel.without_namespace],
    ...config.channel.namespaces.map((ns, i): [string, ChannelOptions] => [`channel.namespaces[${i}]`, ns]),
  ];
}

/** Rules about the engine, broker and presence manager keys and what the channels ask of them. */
export function validateEngine(config: RingcastConfig): void {
  if (config.broker.enabled && !['memory', 'nats'].includes(config.broker.type)) {
    throw new ConfigError(
      'broker.type',
      `the "${config.broker.type}" broker is not supported: use "nats", or engine.type "redis" or "tarantool" for a broker with history`,
    );
  }
  const selection = engineSelection(config);
  const usesEngineRedis = selection.broker === 'redis' || selection.presence === 'redis';
  if (usesEngineRedis && config.ringcast.engine.redis.ring_file === '') checkRedisAddresses('engine.redis', config.engine.redis);
  if (selection.presence === 'presence-manager-redis') checkRedisAddresses('presence_manager.redis', config.presence_manager.redis);
  if ((selection.broker === 'tarantool' || selection.presence === 'tarantool') && config.engine.tarantool.address.length === 0) {
    throw new ConfigError('engine.tarantool.address', 'the tarantool engine needs at least one address');
  }
  if (selection.broker !== 'nats') return;
  const nats = config.broker.nats;
  if (nats.url.trim() === '') throw new ConfigError('broker.nats.url', 'the NATS broker needs a server URL');
  if (nats.raw_mode.enabled) {
    throw new ConfigError('broker.nats.raw_mode.enabled', 'raw mode is not supported: Ringcast frames messages as Centrifugo does by default');
  }
  for (const [key, options] of channelOptionBlocks(config)) {
    if (options.history_size > 0) {
      throw new ConfigError(
        `${key}.history_size`,
        'the NATS broker keeps no history, so history, recovery and positioning cannot work: remove them, or use engine.type "redis" or "tarantool"',
      );
    }
  }
}

/** Engine settings that are valid but probably not what the operator wants. */
export function engineAdvisories(config: RingcastConfig): string[] {
  const out: string[] = [];
  const selection = engineSelection(config);
  if (selection.broker === 'nats' && selection.presence === 'memory') {
    const withPresence = channelOptionBlocks(config).filter(([, options]) => options.presence).map(([key]) => key);
    if (withPresence.length > 0) {
      out.push(
        `presence is on in ${withPresence.join(', ')} but kept in each node's memory with the NATS broker: presence and presence_stats count only the clients of the node asked; set presence_manager {enabled: true, type: "redis"} to share it`,
      );
    }
  }
  if (selection.broker === 'nats' && config.broker.nats.allow_wildcards) {
    out.push('broker.nats.allow_wildcards is not supported: channels with * or > are refused (107)');
  }
  return out;
}

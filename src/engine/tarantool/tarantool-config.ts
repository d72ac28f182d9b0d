import type { RingcastConfig } from '../../config/config-schema.js';
import type { TarantoolEngineOptions } from './tarantool-engine.js';

/** The Tarantool engine's options from `engine.tarantool.*`. */
export function tarantoolEngineOptions(config: RingcastConfig): TarantoolEngineOptions {
  const tarantool = config.engine.tarantool;
  return {
    addresses: tarantool.address,
    user: tarantool.user,
    password: tarantool.password,
    timeouts: { connectMs: tarantool.connect_timeout, ioMs: tarantool.io_timeout },
    historyMetaTtlMs: config.channel.history_meta_ttl,
    startTimeoutMs: Math.max(tarantool.connect_timeout, 1000) * 2,
  };
}

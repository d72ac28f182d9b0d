import type { ConnectionOptions } from 'node:tls';

/** Connection options every shard shares (the node config's `engine.redis.*`); an address may override some. */
export interface RedisConnectionSettings {
  db: number;
  user: string;
  password: string;
  clientName: string;
  /** TLS towards Redis; undefined = plain TCP (a `rediss://` address turns TLS on with defaults). */
  tls: ConnectionOptions | undefined;
  connectTimeoutMs: number;
  /** Per-command timeout. */
  ioTimeoutMs: number;
  sentinelUser: string;
  sentinelPassword: string;
  sentinelMasterName: string;
  sentinelClientName: string;
  sentinelTls: ConnectionOptions | undefined;
}

/** Reconnect delay: exponential from 50 ms up to 2 s, with full jitter so nodes do not reconnect in step. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(2000, 50 * 2 ** Math.min(attempt, 6));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

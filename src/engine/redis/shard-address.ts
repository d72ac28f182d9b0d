import { parseGoDuration } from '../../config/go-duration.js';

/**
 * A shard address as Centrifugo accepts it in `engine.redis.address` (and as a ring's ShardSpec carries it):
 * - `host:port`
 * - `redis://[[user]:password@]host:port[/db][?options]`, `rediss://…` (TLS), `tcp://…`
 * - `unix://[[user]:password@]/path/to/socket[?options]`
 * - `redis+sentinel://[…@]host:port?sentinel_master_name=NAME[&addr=host2:port2…]` (`rediss+sentinel://`)
 * - `redis+cluster://[…@]host:port[?addr=host2:port2…]`
 * Options: `addr` (more seed addresses), `connect_timeout`, `io_timeout` (Go durations), `tls_enabled`,
 * `force_resp2`, `sentinel_master_name`, `sentinel_user`, `sentinel_password`, `sentinel_tls_enabled`.
 */
export type ShardMode = 'standalone' | 'sentinel' | 'cluster';

export interface HostPort {
  host: string;
  port: number;
}

/** What the address itself says; anything left undefined comes from the node config. */
export interface ShardTarget {
  mode: ShardMode;
  /** Redis (standalone), the Sentinels (sentinel) or the cluster seeds (cluster). */
  hosts: HostPort[];
  /** A Unix socket path instead of hosts (standalone only). */
  path?: string;
  db?: number;
  user?: string;
  password?: string;
  tls?: boolean;
  connectTimeoutMs?: number;
  ioTimeoutMs?: number;
  sentinelMasterName?: string;
  sentinelUser?: string;
  sentinelPassword?: string;
  sentinelTls?: boolean;
}

export class ShardAddressError extends Error {
  readonly code = 'REDIS_SHARD_ADDRESS';
}

const schemes = ['redis:', 'rediss:', 'tcp:', 'unix:', 'redis+sentinel:', 'rediss+sentinel:', 'redis+cluster:'];

function hostPort(text: string, what: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (!match) throw new ShardAddressError(`malformed ${what} "${text}": expected host:port`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new ShardAddressError(`port out of range in ${what} "${text}"`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function flag(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new ShardAddressError(`invalid ${name} value "${value}"`);
}

function duration(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const ns = parseGoDuration(value);
  if (ns === null || ns < 0) throw new ShardAddressError(`invalid ${name} "${value}": expected a duration like "1s"`);
  return Math.round(ns / 1e6);
}

/** Parses one shard address; throws ShardAddressError naming what is wrong. */
export function parseShardAddress(address: string): ShardTarget {
  const scheme = schemes.find((s) => address.startsWith(s + '//'));
  if (!scheme) {
    if (/^[a-z+]+:\/\//i.test(address)) {
      throw new ShardAddressError(`unsupported scheme in Redis address "${redact(address)}"`);
    }
    return { mode: 'standalone', hosts: [hostPort(address, 'Redis address')] };
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ShardAddressError(`malformed Redis address "${redact(address)}": not a valid URL`);
  }
  const query = url.searchParams;
  const target: ShardTarget = { mode: 'standalone', hosts: [] };
  if (url.username) target.user = decodeURIComponent(url.username);
  if (url.password) target.password = decodeURIComponent(url.password);
  if (scheme === 'unix:') {
    if (!url.pathname) throw new ShardAddressError('unix:// address without a socket path');
    target.path = decodeURIComponent(url.pathname);
  } else {
    if (!url.host) throw new ShardAddressError(`Redis address "${redact(address)}" has no host`);
    target.hosts.push(hostPort(url.host, 'Redis address'));
    const path = url.pathname.replace(/^\//, '');
    if (path !== '') {
      if (!/^\d+$/.test(path)) throw new ShardAddressError(`Redis DB in "${redact(address)}" is not a number`);
      target.db = Number(path);
    }
  }
  for (const extra of query.getAll('addr')) target.hosts.push(hostPort(extra, 'addr'));
  target.connectTimeoutMs = duration(query, 'connect_timeout');
  target.ioTimeoutMs = duration(query, 'io_timeout');
  if (scheme.startsWith('rediss')) target.tls = true;
  else target.tls = flag(query, 'tls_enabled');
  const masterName = query.get('sentinel_master_name');
  if (masterName !== null) target.sentinelMasterName = masterName;
  if (scheme.endsWith('+sentinel:') || masterName !== null) {
    target.mode = 'sentinel';
    if (!target.sentinelMasterName) {
      throw new ShardAddressError(`Sentinel address "${redact(address)}" needs ?sentinel_master_name=`);
    }
    if (scheme.startsWith('rediss')) target.sentinelTls = true;
  }
  if (scheme === 'redis+cluster:') target.mode = 'cluster';
  const sentinelUser = query.get('sentinel_user');
  if (sentinelUser !== null) target.sentinelUser = sentinelUser;
  const sentinelPassword = query.get('sentinel_password');
  if (sentinelPassword !== null) target.sentinelPassword = sentinelPassword;
  target.sentinelTls = flag(query, 'sentinel_tls_enabled') ?? target.sentinelTls;
  return target;
}

/** The address with any password replaced, for logs and names. */
export function redact(address: string): string {
  return address
    .replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
    .replace(/([?&](?:sentinel_)?password=)[^&]*/g, '$1***');
}

/** The address in the `redis+sentinel://` form for Centrifugo's `sentinel_address` entries (comma-separated). */
export function sentinelAddress(commaSeparated: string, masterName: string): string {
  const [first, ...rest] = commaSeparated.split(',').map((s) => s.trim());
  const query = new URLSearchParams({ sentinel_master_name: masterName });
  for (const extra of rest) query.append('addr', extra);
  return `redis+sentinel://${first}?${query.toString()}`;
}

/** The address in the `redis+cluster://` form for Centrifugo's `cluster_address` entries (comma-separated). */
export function clusterAddress(commaSeparated: string): string {
  const [first, ...rest] = commaSeparated.split(',').map((s) => s.trim());
  const query = new URLSearchParams();
  for (const extra of rest) query.append('addr', extra);
  const suffix = query.toString();
  return `redis+cluster://${first}${suffix ? '?' + suffix : ''}`;
}

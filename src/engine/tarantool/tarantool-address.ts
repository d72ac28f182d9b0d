import type { TarantoolEndpoint } from './tarantool-connection.js';

/** An `engine.tarantool.address` entry that does not parse. */
export class TarantoolAddressError extends Error {
  readonly code = 'TARANTOOL_ADDRESS';
}

/**
 * `host:port`, `tcp://host:port` or `tarantool://user:password@host:port` (credentials in the address win over
 * `engine.tarantool.user`/`password`); IPv6 hosts in brackets.
 */
export function parseTarantoolAddress(address: string, user: string, password: string): TarantoolEndpoint {
  const withScheme = /^[a-z]+:\/\//i.test(address) ? address : `tcp://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TarantoolAddressError(`cannot parse Tarantool address "${redactTarantoolAddress(address)}"`);
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'tarantool:') {
    throw new TarantoolAddressError(`unsupported scheme ${url.protocol} in Tarantool address (use host:port or tcp://host:port)`);
  }
  const port = Number(url.port);
  if (!url.hostname || !Number.isInteger(port) || port <= 0) {
    throw new TarantoolAddressError(`Tarantool address "${redactTarantoolAddress(address)}" needs a host and a port`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: url.username ? decodeURIComponent(url.username) : user,
    password: url.password ? decodeURIComponent(url.password) : password,
  };
}

/** The address without credentials, for logs, metrics and /health. */
export function redactTarantoolAddress(address: string): string {
  return address.replace(/\/\/[^@/]*@/, '//');
}

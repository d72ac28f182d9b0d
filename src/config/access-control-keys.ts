import { ConfigError } from './config-error.js';
import { isPlainObject } from './raw-tree.js';

// Centrifugo keys Ringcast does not implement yet that decide who may connect, subscribe, publish or call RPC,
// or who can reach the node at all. Ignoring one of them silently could open what the operator meant to guard
// (a connect proxy that authenticates, a publish proxy that vets messages, …), so a config that turns one on
// stops the node with a ConfigError naming it. Unsupported keys that only add features keep warning
// (centrifugo-unsupported-keys.ts). Facts about Centrifugo's key names only.

/** One access-deciding key: where it lives, whether the raw value turns it on, and what to tell the operator. */
interface AccessKey {
  /** Dotted path; `[]` for any array index, `*` for any key of an object. */
  path: string;
  active: (value: unknown) => boolean;
  reason: string;
}

const isTrue = (value: unknown): boolean => value === true || value === 'true';
const nonEmpty = (value: unknown): boolean => (typeof value === 'string' ? value !== '' : value !== undefined && value !== null);
const positive = (value: unknown): boolean => Number(value) > 0;
const enabledSection = (value: unknown): boolean => isPlainObject(value) && isTrue(value['enabled']);

const accessKeys: AccessKey[] = [
  // The connect, refresh, subscribe, publish, sub_refresh and RPC proxies are implemented (src/proxy); the
  // subscribe stream proxy (publications streamed from the backend) is not.
  ...['channel.without_namespace', 'channel.namespaces[]'].map((prefix) => ({
    path: `${prefix}.subscribe_stream_proxy_enabled`,
    active: isTrue,
    reason:
      'the subscribe stream proxy is not supported yet, and ignoring it would let clients subscribe to channels your backend was meant to feed and guard',
  })),
  {
    path: 'client.insecure_skip_token_signature_verify',
    active: isTrue,
    reason: 'skipping token signature checks is not supported; Ringcast would verify tokens your clients send unsigned',
  },
  {
    path: 'client.user_id_http_header',
    active: nonEmpty,
    reason: 'authenticating connections by an HTTP header is not supported yet',
  },
  {
    path: 'client.connection_rate_limit',
    active: positive,
    reason: 'the connection rate limit is not supported yet; without it the node would accept connections at any rate',
  },
  {
    path: 'http_server.internal_port',
    active: nonEmpty,
    reason: 'a separate internal port is not supported yet; the server API, metrics and health would be served on the public port',
  },
  {
    path: 'http_server.internal_address',
    active: nonEmpty,
    reason: 'a separate internal address is not supported yet; the server API would be served on the public address',
  },
  {
    path: 'http_server.tls',
    active: enabledSection,
    reason: 'TLS (and client certificates) are not served by Ringcast yet; terminate TLS in front of it and remove this key',
  },
  {
    path: 'http_server.tls_autocert',
    active: enabledSection,
    reason: 'automatic TLS certificates are not supported; terminate TLS in front of Ringcast and remove this key',
  },
];

/** Every concrete path in `raw` matching `pattern` (`[]` any index, `*` any key), with its value. */
function* matches(raw: unknown, segments: readonly string[], prefix: string): Generator<[string, unknown]> {
  if (segments.length === 0) {
    yield [prefix, raw];
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  if (!isPlainObject(raw) || !(key in raw)) return;
  const child = raw[key];
  const path = prefix === '' ? key : `${prefix}.${key}`;
  if (!isList) {
    yield* matches(child, rest, path);
    return;
  }
  if (!Array.isArray(child)) return;
  for (let i = 0; i < child.length; i++) yield* matches(child[i], rest, `${path}[${i}]`);
}

/** The access-deciding keys `raw` turns on, as `key: reason` lines (empty when there are none). */
export function accessControlKeyProblems(raw: unknown): Array<{ key: string; reason: string }> {
  const problems: Array<{ key: string; reason: string }> = [];
  for (const entry of accessKeys) {
    for (const [key, value] of matches(raw, entry.path.split('.'), '')) {
      if (entry.active(value)) problems.push({ key, reason: entry.reason });
    }
  }
  return problems;
}

/**
 * Throws a ConfigError naming the first access-deciding key the file or the environment turns on (and the
 * others there are).
 */
export function refuseAccessControlKeys(raw: unknown, env: Record<string, string | undefined>): void {
  const [first, ...others] = [...accessControlKeyProblems(raw), ...accessControlEnvProblems(env, ['CENTRIFUGO_', 'RINGCAST_'])];
  if (!first) return;
  const more = others.length > 0 ? ` (also: ${others.map((p) => p.key).join(', ')})` : '';
  throw new ConfigError(first.key, `${first.reason}${more}`);
}

/**
 * The access-deciding keys turned on through environment variables (`<PREFIX><PATH>`, e.g.
 * CENTRIFUGO_CLIENT_PROXY_CONNECT_ENABLED=true), which the schema does not know and would only warn about.
 */
export function accessControlEnvProblems(
  env: Record<string, string | undefined>,
  prefixes: readonly string[],
): Array<{ key: string; reason: string }> {
  const problems: Array<{ key: string; reason: string }> = [];
  for (const entry of accessKeys) {
    if (entry.path.includes('[]')) continue;
    const leaf = entry.active === enabledSection ? `${entry.path}.enabled` : entry.path;
    const check = entry.active === enabledSection ? isTrue : entry.active;
    for (const prefix of prefixes) {
      const variable = prefix + leaf.replace(/\./g, '_').toUpperCase();
      const value = env[variable];
      if (value !== undefined && check(value)) problems.push({ key: `${leaf} (from ${variable})`, reason: entry.reason });
    }
  }
  return problems;
}

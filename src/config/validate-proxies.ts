import { proxyDisconnectCodes, proxyErrorCodes } from '../proxy/answer-envelope.js';
import { ConfigError } from './config-error.js';
import type { ChannelOptions, RingcastConfig } from './config-schema.js';
import type { ProxyConfig } from './proxy-schema.js';

// Centrifugo's proxy validation (config/validate.go): proxy names, referenced names, and the endpoint and timeout of
// every proxy that is in use, checked before the node starts so a typo does not surface as failing clients.

/** Centrifugo's rule for proxy and RPC namespace names. */
const proxyNamePattern = /^[-a-zA-Z0-9_.]{2,}$/;
/** The name that means "the proxy configured in place" (`channel.proxy.*`, `rpc.proxy`). */
export const defaultProxyName = 'default';

/** Whether an endpoint is served over HTTP (else gRPC), as Centrifugo decides it. */
export function isHttpEndpoint(endpoint: string): boolean {
  return endpoint.startsWith('http://') || endpoint.startsWith('https://');
}

function checkEndpoint(key: string, endpoint: string): void {
  if (endpoint === '') throw new ConfigError(`${key}.endpoint`, 'endpoint not set: give the backend URL (http://…, https://… or grpc://host:port)');
  if (isHttpEndpoint(endpoint)) {
    try {
      new URL(endpoint);
    } catch {
      throw new ConfigError(`${key}.endpoint`, `not a valid URL: "${endpoint}"`);
    }
    return;
  }
  const hostPort = endpoint.startsWith('grpc://') ? endpoint.slice('grpc://'.length) : endpoint;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(hostPort) || !/^(\[[0-9a-fA-F:.]+\]|[^:/\s]+):\d{1,5}$/.test(hostPort)) {
    throw new ConfigError(`${key}.endpoint`, `expected http://…, https://… or grpc://host:port, got "${endpoint}"`);
  }
}

/** One proxy in use: endpoint, timeout and HTTP status transforms. */
export function checkProxy(key: string, proxy: ProxyConfig): void {
  checkEndpoint(key, proxy.endpoint);
  if (proxy.timeout <= 0) throw new ConfigError(`${key}.timeout`, 'timeout not set (e.g. "1s")');
  proxy.http.status_to_code_transforms.forEach((transform, i) => {
    const at = `${key}.http.status_to_code_transforms[${i}]`;
    if (transform.status_code === 0) throw new ConfigError(`${at}.status_code`, 'set the HTTP status code to match');
    const { to_error: error, to_disconnect: disconnect } = transform;
    if (error.code === 0 && disconnect.code === 0) throw new ConfigError(at, 'set to_error.code or to_disconnect.code');
    // The codes a backend's own answer may carry (answer-envelope.ts), so a transform cannot send what an answer may not.
    if (error.code !== 0 && (error.code < proxyErrorCodes.min || error.code > proxyErrorCodes.max)) {
      throw new ConfigError(`${at}.to_error.code`, `an error code in ${proxyErrorCodes.min}–${proxyErrorCodes.max}, got ${error.code}`);
    }
    if (disconnect.code !== 0 && (disconnect.code < proxyDisconnectCodes.min || disconnect.code > proxyDisconnectCodes.max)) {
      throw new ConfigError(`${at}.to_disconnect.code`, `a disconnect code in ${proxyDisconnectCodes.min}–${proxyDisconnectCodes.max}, got ${disconnect.code}`);
    }
  });
  for (const [name, value] of Object.entries(proxy.grpc.static_metadata)) {
    if (!/^[0-9a-z_.-]+$/.test(name.toLowerCase()) || name.toLowerCase().endsWith('-bin')) {
      throw new ConfigError(`${key}.grpc.static_metadata`, `"${name}" is not a valid gRPC metadata key`);
    }
    if (/[^\x20-\x7e]/.test(value)) throw new ConfigError(`${key}.grpc.static_metadata.${name}`, 'metadata values must be printable ASCII');
  }
}

/** Checks the proxy a `*_proxy_name` / `proxy_name` refers to: it must exist, and be complete when enabled. */
function checkReference(
  key: string,
  name: string,
  enabled: boolean,
  named: ReadonlySet<string>,
  defaultKey: string,
  defaultProxy: ProxyConfig,
): void {
  if (name !== '' && name !== defaultProxyName && !named.has(name)) {
    throw new ConfigError(key, `proxy "${name}" is not defined in proxies[] (or use "${defaultProxyName}" for ${defaultKey})`);
  }
  if (enabled && (name === defaultProxyName || name === '')) checkProxy(defaultKey, defaultProxy);
}

function checkChannelProxies(prefix: string, options: ChannelOptions, config: RingcastConfig, named: ReadonlySet<string>): void {
  const proxy = config.channel.proxy;
  checkReference(`${prefix}.subscribe_proxy_name`, options.subscribe_proxy_name, options.subscribe_proxy_enabled, named, 'channel.proxy.subscribe', proxy.subscribe);
  checkReference(`${prefix}.publish_proxy_name`, options.publish_proxy_name, options.publish_proxy_enabled, named, 'channel.proxy.publish', proxy.publish);
  checkReference(`${prefix}.sub_refresh_proxy_name`, options.sub_refresh_proxy_name, options.sub_refresh_proxy_enabled, named, 'channel.proxy.sub_refresh', proxy.sub_refresh);
}

/** Every proxy rule of Centrifugo's config validation. */
export function validateProxies(config: RingcastConfig): void {
  const named = new Set<string>();
  config.proxies.forEach((proxy, i) => {
    const key = `proxies[${i}]`;
    if (!proxyNamePattern.test(proxy.name)) {
      throw new ConfigError(`${key}.name`, `invalid proxy name "${proxy.name}": use at least 2 characters from letters, digits, "-", "_" and "."`);
    }
    if (proxy.name === defaultProxyName) throw new ConfigError(`${key}.name`, `proxy name "${defaultProxyName}" is reserved`);
    if (named.has(proxy.name)) throw new ConfigError(`${key}.name`, `proxy "${proxy.name}" is defined twice`);
    named.add(proxy.name);
    checkProxy(key, proxy);
  });
  const client = config.client.proxy;
  if (client.connect.enabled) checkProxy('client.proxy.connect', client.connect);
  if (client.refresh.enabled) checkProxy('client.proxy.refresh', client.refresh);
  checkChannelProxies('channel.without_namespace', config.channel.without_namespace, config, named);
  config.channel.namespaces.forEach((namespace, i) => checkChannelProxies(`channel.namespaces[${i}]`, namespace, config, named));

  const rpc = config.rpc;
  checkReference('rpc.without_namespace.proxy_name', rpc.without_namespace.proxy_name, rpc.without_namespace.proxy_enabled, named, 'rpc.proxy', rpc.proxy);
  const rpcNamespaces = new Set<string>();
  rpc.namespaces.forEach((namespace, i) => {
    const key = `rpc.namespaces[${i}]`;
    if (!proxyNamePattern.test(namespace.name)) {
      throw new ConfigError(`${key}.name`, `invalid RPC namespace name "${namespace.name}": use at least 2 characters from letters, digits, "-", "_" and "."`);
    }
    if (rpcNamespaces.has(namespace.name)) throw new ConfigError(`${key}.name`, `RPC namespace "${namespace.name}" is defined twice`);
    rpcNamespaces.add(namespace.name);
    checkReference(`${key}.proxy_name`, namespace.proxy_name, namespace.proxy_enabled, named, 'rpc.proxy', rpc.proxy);
  });

  const uni = config.client.connect_code_to_unidirectional_disconnect;
  uni.transforms.forEach((transform, i) => {
    const key = `client.connect_code_to_unidirectional_disconnect.transforms[${i}]`;
    if (transform.code === 0) throw new ConfigError(`${key}.code`, 'set the connect error code to match');
    if (transform.to.code < 3000 || transform.to.code > 4999) {
      throw new ConfigError(`${key}.to.code`, `a disconnect code in 3000–4999, got ${transform.to.code}`);
    }
    if ([...transform.to.reason].some((c) => c.charCodeAt(0) > 0x7f)) throw new ConfigError(`${key}.to.reason`, 'the disconnect reason must be ASCII');
  });
}

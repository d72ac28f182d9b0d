import type { Logger } from 'pino';
import type { ChannelOptions, RingcastConfig } from '../../src/config/config-schema.js';
import type { ProxyConfig } from '../../src/config/proxy-schema.js';
import { defaultProxyName } from '../../src/config/validate-proxies.js';
import type { Metrics } from '../../src/observability/metrics.js';
import { createProxyCaller } from '../../src/proxy/create-proxy-caller.js';
import type { ProxyCaller } from '../../src/proxy/proxy-caller.js';
import type { ProxyMethod } from '../../src/proxy/proxy-request.js';
import { ProxyBinding } from './proxy-binding.js';

type ChannelProxyKind = 'subscribe' | 'publish' | 'sub_refresh';
const channelProxyKinds = ['subscribe', 'publish', 'sub_refresh'] as const;

/** Where an RPC method goes: its namespace is unknown (104), it has no proxy (108), or this proxy. */
export type RpcRoute = { type: 'unknown_namespace' } | { type: 'not_proxied' } | { type: 'proxy'; binding: ProxyBinding };

/**
 * The proxies a node uses, as Centrifugo builds its proxy map: the connect and refresh proxies when enabled, and for
 * channel and RPC namespaces one binding per proxy name in use (`default` is the one configured in place:
 * `channel.proxy.<type>`, `rpc.proxy`; other names come from `proxies[]`). Channel options can change while the node
 * runs (edited on its RealtimeCluster): bindings of channel proxies are then made on first use from the new channel
 * section, so a namespace that turns a proxy on uses it at once.
 */
export class NodeProxies {
  readonly connect: ProxyBinding | null;
  readonly refresh: ProxyBinding | null;
  private channelConfig: RingcastConfig['channel'];
  /** `<kind>:<name>` → binding, for the current channel section. */
  private readonly channelBindings = new Map<string, ProxyBinding>();
  /** Channel proxies that cannot be made (their proxy has no endpoint): refused once in the log. */
  private readonly unavailable = new Set<string>();
  private readonly rpcBindings = new Map<string, ProxyBinding>();
  private readonly callers: ProxyCaller[] = [];
  private headerNames: readonly string[] = [];
  private emulatedNames: ReadonlySet<string> = new Set();

  constructor(
    private readonly config: RingcastConfig,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    const client = config.client.proxy;
    this.connect = client.connect.enabled ? this.bind('connect', defaultProxyName, client.connect, 'client.proxy.connect') : null;
    this.refresh = client.refresh.enabled ? this.bind('refresh', defaultProxyName, client.refresh, 'client.proxy.refresh') : null;
    this.channelConfig = config.channel;
    this.bindChannelProxiesInUse();
    for (const options of [config.rpc.without_namespace, ...config.rpc.namespaces]) {
      const name = options.proxy_name || defaultProxyName;
      if (!options.proxy_enabled || this.rpcBindings.has(name)) continue;
      const proxy = this.named(name, config.rpc.proxy, 'rpc.proxy');
      if (proxy) this.rpcBindings.set(name, this.bind('rpc', name, proxy.config, proxy.key));
    }
    this.collectHeaderNames();
  }

  /** Lower-case names of connection request headers some proxy passes on: only these are kept per connection. */
  get connectionHeaderNames(): readonly string[] {
    return this.headerNames;
  }

  /** Lower-case names of emulated headers some proxy passes on: only these are kept per connection. */
  get emulatedHeaderNames(): ReadonlySet<string> {
    return this.emulatedNames;
  }

  /** New channel options (live configuration): channel proxies are bound again from them on first use. */
  replaceChannelConfig(channel: RingcastConfig['channel']): void {
    this.channelConfig = channel;
    // Callers of the old bindings stay open for calls in flight; they are released when the node stops.
    this.channelBindings.clear();
    this.unavailable.clear();
    this.bindChannelProxiesInUse();
    this.collectHeaderNames();
  }

  /** The proxy of a channel's namespace for this event, or null when the namespace does not proxy it. */
  channel(kind: ChannelProxyKind, options: ChannelOptions): ProxyBinding | null {
    const { enabled, name } = channelProxyOf(options, kind);
    if (!enabled) return null;
    return this.channelBindings.get(`${kind}:${name}`) ?? this.bindChannelProxy(kind, name);
  }

  /** Whether any RPC namespace proxies its calls (then RPC methods are routed by namespace, as in Centrifugo). */
  get rpcProxied(): boolean {
    return this.rpcBindings.size > 0;
  }

  /** Routes an RPC method by its namespace (the part before `rpc.namespace_boundary`). */
  rpc(method: string): RpcRoute {
    const rpc = this.config.rpc;
    const boundary = rpc.namespace_boundary;
    let options = rpc.without_namespace;
    if (boundary !== '' && method.includes(boundary)) {
      const namespace = rpc.namespaces.find((ns) => ns.name === method.slice(0, method.indexOf(boundary)));
      if (!namespace) return { type: 'unknown_namespace' };
      options = namespace;
    }
    if (!options.proxy_enabled) return { type: 'not_proxied' };
    const binding = this.rpcBindings.get(options.proxy_name || defaultProxyName);
    return binding ? { type: 'proxy', binding } : { type: 'not_proxied' };
  }

  close(): void {
    for (const caller of this.callers) caller.close();
  }

  private bindChannelProxiesInUse(): void {
    const channel = this.channelConfig;
    for (const options of [channel.without_namespace, ...channel.namespaces]) {
      for (const kind of channelProxyKinds) {
        const { enabled, name } = channelProxyOf(options, kind);
        if (enabled && !this.channelBindings.has(`${kind}:${name}`)) this.bindChannelProxy(kind, name);
      }
    }
  }

  private bindChannelProxy(kind: ChannelProxyKind, name: string): ProxyBinding | null {
    const id = `${kind}:${name}`;
    const proxy = this.named(name, this.channelConfig.proxy[kind], `channel.proxy.${kind}`);
    if (!proxy || proxy.config.endpoint === '') {
      // Validation refuses this at start; live options that reach here keep the namespace closed (108).
      if (!this.unavailable.has(id)) this.logger.error({ proxy: name, type: kind }, `${kind} proxy "${name}" has no endpoint: its channels answer 108`);
      this.unavailable.add(id);
      return null;
    }
    const binding = this.bind(kind, name, proxy.config, proxy.key);
    this.channelBindings.set(id, binding);
    return binding;
  }

  /** The configuration of proxy `name`: the default one given, or one of `proxies[]`. */
  private named(name: string, defaultProxy: ProxyConfig, defaultKey: string): { config: ProxyConfig; key: string } | null {
    if (name === defaultProxyName) return { config: defaultProxy, key: defaultKey };
    const index = this.config.proxies.findIndex((p) => p.name === name);
    return index < 0 ? null : { config: this.config.proxies[index]!, key: `proxies[${index}]` };
  }

  private bind(type: ProxyMethod, name: string, proxy: ProxyConfig, key: string): ProxyBinding {
    const caller = createProxyCaller(proxy, key, this.config.ringcast.proxy.max_response_size);
    this.callers.push(caller);
    this.logger.info({ proxy: name, type, protocol: caller.protocol, endpoint: redactEndpoint(proxy.endpoint) }, `${type} proxy enabled`);
    return new ProxyBinding(
      type,
      name,
      caller,
      {
        binaryEncoding: proxy.binary_encoding,
        includeConnectionMeta: proxy.include_connection_meta,
        httpHeaders: proxy.http_headers.map((h) => h.toLowerCase()),
        emulatedHeaders: proxy.emulated_headers.map((h) => h.toLowerCase()),
      },
      this.metrics,
      this.logger,
    );
  }

  /** Header names of every configured proxy, used or not yet (a namespace may turn one on later). */
  private collectHeaderNames(): void {
    const configs: ProxyConfig[] = [
      ...(this.config.client.proxy.connect.enabled ? [this.config.client.proxy.connect] : []),
      ...(this.config.client.proxy.refresh.enabled ? [this.config.client.proxy.refresh] : []),
      ...channelProxyKinds.map((kind) => this.channelConfig.proxy[kind]),
      this.config.rpc.proxy,
      ...this.config.proxies,
    ];
    this.headerNames = [...new Set(configs.flatMap((c) => c.http_headers.map((h) => h.toLowerCase())))];
    this.emulatedNames = new Set(configs.flatMap((c) => c.emulated_headers.map((h) => h.toLowerCase())));
  }
}

function channelProxyOf(options: ChannelOptions, kind: ChannelProxyKind): { enabled: boolean; name: string } {
  switch (kind) {
    case 'subscribe':
      return { enabled: options.subscribe_proxy_enabled, name: options.subscribe_proxy_name || defaultProxyName };
    case 'publish':
      return { enabled: options.publish_proxy_enabled, name: options.publish_proxy_name || defaultProxyName };
    case 'sub_refresh':
      return { enabled: options.sub_refresh_proxy_enabled, name: options.sub_refresh_proxy_name || defaultProxyName };
  }
}

/** An endpoint for the log: user info (credentials) in the URL replaced. */
function redactEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.username || url.password) {
      url.username = 'redacted';
      url.password = '';
    }
    return url.toString();
  } catch {
    return endpoint;
  }
}

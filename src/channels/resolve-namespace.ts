import type { ChannelOptions, RingcastConfig } from '../config/config-schema.js';

/** A channel's namespace and the options that apply to it. */
export interface ResolvedChannel {
  /** Namespace name; '' for channels without a namespace (`channel.without_namespace`). */
  namespace: string;
  /** The channel name after `<namespace><boundary>` (the whole channel when it has no namespace). */
  rest: string;
  /** Effective options: history_meta_ttl and publication_data_format inherited from `channel.*` when unset. */
  options: ChannelOptions;
}

const tables = new WeakMap<RingcastConfig, Map<string, ChannelOptions>>();

function effective(config: RingcastConfig, options: ChannelOptions): ChannelOptions {
  const channel = config.channel;
  return {
    ...options,
    history_meta_ttl: options.history_meta_ttl || channel.history_meta_ttl,
    publication_data_format: options.publication_data_format || channel.publication_data_format,
  };
}

/** Namespace name → effective options, built once per config object ('' is the without-namespace entry). */
function table(config: RingcastConfig): Map<string, ChannelOptions> {
  let map = tables.get(config);
  if (!map) {
    map = new Map([['', effective(config, config.channel.without_namespace)]]);
    for (const namespace of config.channel.namespaces) {
      const { name, ...options } = namespace;
      map.set(name, effective(config, options));
    }
    tables.set(config, map);
  }
  return map;
}

/**
 * Centrifugo's namespace rule: strip the private prefix ("$") if present, then the part before the first
 * namespace boundary (":") is the namespace. Returns null for an unknown namespace (error 102 unknown channel).
 */
export function resolveNamespace(config: RingcastConfig, channel: string): ResolvedChannel | null {
  const { private_prefix: privatePrefix, namespace_boundary: boundary } = config.channel;
  const trimmed = privatePrefix !== '' && channel.startsWith(privatePrefix) ? channel.slice(privatePrefix.length) : channel;
  let namespace = '';
  let rest = channel;
  if (boundary !== '') {
    const at = trimmed.indexOf(boundary);
    if (at >= 0) {
      namespace = trimmed.slice(0, at);
      rest = trimmed.slice(at + boundary.length);
    }
  }
  const options = table(config).get(namespace);
  return options ? { namespace, rest, options } : null;
}

import { accessControlKeyProblems } from '../config/access-control-keys.js';
import { ConfigError } from '../config/config-error.js';
import { configSchema, type RingcastConfig } from '../config/config-schema.js';
import { isPlainObject } from '../config/raw-tree.js';
import { formatPath } from '../config/raw-tree.js';
import { validateConfig } from '../config/validate-config.js';
import type { RealtimeClusterObject } from './realtime-cluster.js';

/** The `channel` section of a RealtimeCluster's spec.config as written (undefined: none, i.e. the defaults). */
export function rawChannelConfig(cluster: RealtimeClusterObject | undefined): unknown {
  const spec = cluster?.spec;
  if (!isPlainObject(spec) || !isPlainObject(spec['config'])) return undefined;
  return spec['config']['channel'];
}

/**
 * `config` with its channel section (namespaces and channel options) replaced by `rawChannel`, validated exactly
 * as at start-up: the result is what a node restarted with the new ConfigMap would run. Throws ConfigError naming
 * the key when the new section is invalid.
 */
export function withChannelConfig(config: RingcastConfig, rawChannel: unknown): RingcastConfig {
  // Keys Ringcast does not implement that decide access (a subscribe stream proxy) are refused here as at start-up.
  const [refused] = accessControlKeyProblems({ channel: rawChannel });
  if (refused) throw new ConfigError(refused.key, refused.reason);
  const parsed = configSchema.shape.channel.safeParse(rawChannel ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(formatPath(['channel', ...(issue?.path ?? [])]), issue?.message ?? 'invalid');
  }
  const next: RingcastConfig = { ...config, channel: parsed.data };
  validateConfig(next);
  return next;
}

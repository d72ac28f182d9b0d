import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { deepMerge, isPlainObject, type RawObject } from '../../src/config/raw-tree.js';
import type { RealtimeClusterSpec } from '../../src/kube/realtime-cluster-spec.js';
import type { ClusterRef } from './cluster-ref.js';
import { durationToMs } from './durations.js';
import { stableHash } from './stable-hash.js';

/** Shutdown time the node gets beyond its drain window to release Redis and exit. */
const SHUTDOWN_MARGIN_MS = 10_000;

export type NodeConfigResult =
  | {
      ok: true;
      /** The node configuration file (Centrifugo key names), without secrets: those come from the environment. */
      config: RawObject;
      /** Hash of everything a running node cannot take live; it goes on the pod template so a change rolls pods. */
      restartHash: string;
      /** Unknown or unsupported keys the node's loader warns about. */
      warnings: string[];
    }
  | { ok: false; key: string; reason: string };

/** Options a node applies while running (it watches its RealtimeCluster); everything else needs a restart. */
export const LIVE_CONFIG_SECTIONS = ['channel'] as const;

/**
 * The node configuration of a cluster: `spec.config` plus what the operator decides (port, engine, drain window,
 * the RealtimeCluster the node follows), validated by the node's own loader so a bad value is reported on the
 * resource instead of crash-looping pods.
 */
export function buildNodeConfig(cluster: ClusterRef): NodeConfigResult {
  const { spec } = cluster;
  const user: RawObject = isPlainObject(spec.config) ? structuredClone(spec.config) : {};
  const drainWindowMs = durationToMs(spec.nodes.drain.window);
  const userShutdown = isPlainObject(user['shutdown']) ? user['shutdown'] : {};
  const operatorOwned: RawObject = {
    http_server: { port: spec.nodes.port },
    engine: { type: 'redis', redis: spec.redis.prefix ? { prefix: spec.redis.prefix } : {} },
    health: { enabled: true },
    prometheus: { enabled: true },
    ringcast: {
      kubernetes: { cluster: cluster.name },
      shutdown: { drain_window: `${drainWindowMs}ms` },
    },
  };
  const config = deepMerge(user, operatorOwned);
  // The node's own shutdown deadline must leave room for the drain (a user's longer timeout is kept).
  if (!('timeout' in userShutdown)) config['shutdown'] = { ...userShutdown, timeout: `${drainWindowMs + SHUTDOWN_MARGIN_MS}ms` };

  // Secrets reach the node through its environment; stand-ins here let the loader check everything else.
  const standIns = { 'client.token.hmac_secret_key': 'x', 'http_api.key': 'x' };
  let warnings: string[];
  try {
    ({ warnings } = loadConfig({ raw: config, env: {}, overrides: standIns }));
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, key: error.key, reason: error.reason };
    throw error;
  }
  const restartPart = Object.fromEntries(
    Object.entries(config).filter(([key]) => !(LIVE_CONFIG_SECTIONS as readonly string[]).includes(key)),
  );
  return { ok: true, config, restartHash: stableHash(restartPart), warnings };
}

/** Where a node serves Prometheus metrics (spec.config.prometheus.handler_prefix, default /metrics). */
export function metricsPath(spec: RealtimeClusterSpec): string {
  const prometheus = isPlainObject(spec.config) ? spec.config['prometheus'] : undefined;
  const prefix = isPlainObject(prometheus) ? prometheus['handler_prefix'] : undefined;
  return typeof prefix === 'string' && prefix !== '' ? prefix : '/metrics';
}

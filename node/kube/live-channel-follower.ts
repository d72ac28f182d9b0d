import type { Logger } from 'pino';
import { ConfigError } from '../../src/config/config-error.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { rawChannelConfig, withChannelConfig } from '../../src/kube/live-channel-config.js';
import type { RealtimeClusterWatch } from '../../src/kube/realtime-cluster-watch.js';

/**
 * Applies channel options edited on the RealtimeCluster (spec.config.channel) to the running node: each change is
 * validated like the config file at start-up and handed to `apply`; an invalid one is logged and skipped (the
 * operator reports it on the resource, and the node keeps its current rules). Returns a function that stops.
 */
export function followChannelConfig(
  watch: RealtimeClusterWatch,
  initial: RingcastConfig,
  apply: (config: RingcastConfig) => void,
  logger: Logger,
): () => void {
  let applied = JSON.stringify(initial.channel);
  let lastRaw: string | undefined;
  return watch.onChange((cluster) => {
    if (!cluster) return;
    const raw = rawChannelConfig(cluster);
    const rawText = JSON.stringify(raw ?? null);
    if (rawText === lastRaw) return;
    lastRaw = rawText;
    let next: RingcastConfig;
    try {
      next = withChannelConfig(initial, raw);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      logger.error({ key: error.key, reason: error.reason }, 'channel options from the RealtimeCluster are invalid; keeping the current ones');
      return;
    }
    const text = JSON.stringify(next.channel);
    if (text === applied) return;
    applied = text;
    apply(next);
    logger.info({ namespaces: next.channel.namespaces.map((n) => n.name) }, 'channel options updated from the RealtimeCluster');
  });
}

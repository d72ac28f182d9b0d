import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError } from '../../src/config/config-error.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { KubeClient } from '../../src/kube/kube-client.js';
import { contextNamespace, loadKubeConfig } from '../../src/kube/load-kube-config.js';
import { RealtimeClusterShardSource } from '../../src/kube/realtime-cluster-shard-source.js';
import { RealtimeClusterWatch } from '../../src/kube/realtime-cluster-watch.js';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** A node run by the operator: the watch on its RealtimeCluster, and the ring source built on it. */
export interface KubernetesLink {
  readonly watch: RealtimeClusterWatch;
  readonly shardSource: RealtimeClusterShardSource;
  stop(): Promise<void>;
}

function inClusterNamespace(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Connects a node to its RealtimeCluster when `ringcast.kubernetes.cluster` names one (the operator sets it), with
 * the pod's service account or `ringcast.kubernetes.kubeconfig`. Undefined for a node not run by the operator.
 */
export function linkToCluster(config: RingcastConfig, logger: Logger): KubernetesLink | undefined {
  const settings = config.ringcast.kubernetes;
  if (!settings.cluster) return undefined;
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(settings.kubeconfig || undefined);
  } catch (cause) {
    const key = settings.kubeconfig ? 'ringcast.kubernetes.kubeconfig' : 'ringcast.kubernetes.cluster';
    throw new ConfigError(key, `cannot load Kubernetes credentials: ${(cause as Error).message}`, { cause });
  }
  const namespace = settings.namespace || contextNamespace(kubeConfig) || inClusterNamespace();
  if (!namespace) {
    throw new ConfigError('ringcast.kubernetes.namespace', 'the RealtimeCluster namespace is unknown; set it');
  }
  const watch = new RealtimeClusterWatch({
    client: new KubeClient(kubeConfig),
    namespace,
    name: settings.cluster,
    logger: logger.child({ component: 'kubernetes', cluster: `${namespace}/${settings.cluster}` }),
  });
  const shardSource = new RealtimeClusterShardSource(watch, logger.child({ component: 'ring' }));
  return {
    watch,
    shardSource,
    async stop() {
      await shardSource.close();
      await watch.stop();
    },
  };
}

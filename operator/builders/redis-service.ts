import type { V1Service } from '@kubernetes/client-node';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels, selectorLabels } from './labels.js';
import { childNames } from './names.js';

export const REDIS_PORT = 6379;

/**
 * The headless Service that gives every shard pod a stable DNS name (<pod>.<service>.<namespace>.svc); addresses
 * are published before readiness so a shard keeps its name while it restarts.
 */
export function buildRedisService(cluster: ClusterRef): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: childNames(cluster.name).redisService,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'redis'),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(cluster.name, 'redis'),
      ports: [{ name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' }],
    },
  };
}

/** The address nodes connect to for managed shard `index`. */
export function managedShardAddress(cluster: { name: string; namespace: string }, index: number, clusterDomain: string): string {
  const names = childNames(cluster.name);
  return `redis://${names.redisStatefulSet}-${index}.${names.redisService}.${cluster.namespace}.svc.${clusterDomain}:${REDIS_PORT}`;
}

import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels, selectorLabels, type Component } from './labels.js';
import { childNames } from './names.js';

function budget(cluster: ClusterRef, name: string, component: Component): V1PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, component),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(cluster.name, component) },
      // A pod that is not ready serves nobody: evicting it must not be blocked by the budget.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/** Voluntary disruptions (node drains, upgrades) take one node pod at a time, so its clients can move. */
export function buildNodeDisruptionBudget(cluster: ClusterRef): V1PodDisruptionBudget {
  return budget(cluster, childNames(cluster.name).nodeDisruptionBudget, 'node');
}

/** ... and one Redis shard at a time, so at most one shard's channels wait for a restart. */
export function buildRedisDisruptionBudget(cluster: ClusterRef): V1PodDisruptionBudget {
  return budget(cluster, childNames(cluster.name).redisDisruptionBudget, 'redis');
}

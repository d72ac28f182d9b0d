import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { RTC_API_VERSION, RTC_KIND } from '../../src/kube/realtime-cluster-api.js';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels } from './labels.js';
import { childNames } from './names.js';
import { canonicalQuantity } from './quantity.js';

export const CONNECTIONS_METRIC = 'ringcast_node_connections';

/**
 * The HorizontalPodAutoscaler, when autoscaling is on with the HPA provider: it scales the RealtimeCluster itself
 * (its scale subresource, spec.nodes.replicas) on the nodes' average connection count, and removes at most one
 * node a minute so each drain finishes before the next begins.
 */
export function buildAutoscaler(cluster: ClusterRef): V2HorizontalPodAutoscaler | undefined {
  const autoscaling = cluster.spec.autoscaling;
  if (!autoscaling?.enabled || autoscaling.provider !== 'HPA') return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: childNames(cluster.name).autoscaler,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'autoscaler'),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      scaleTargetRef: { apiVersion: RTC_API_VERSION, kind: RTC_KIND, name: cluster.name },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: CONNECTIONS_METRIC },
            target: { type: 'AverageValue', averageValue: canonicalQuantity(autoscaling.targetConnectionsPerNode) },
          },
        },
      ],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: autoscaling.scaleDownStabilizationWindowSeconds,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
        },
      },
    },
  };
}

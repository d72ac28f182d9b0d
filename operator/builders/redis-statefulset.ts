import type { V1PersistentVolumeClaim, V1StatefulSet } from '@kubernetes/client-node';
import type { ManagedRedis } from '../../src/kube/realtime-cluster-spec.js';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels, selectorLabels } from './labels.js';
import { childNames, credentialKeys } from './names.js';
import { REDIS_PORT } from './redis-service.js';
import { containerResources } from './resources.js';

export interface RedisStatefulSetInput {
  cluster: ClusterRef;
  managed: ManagedRedis;
  /**
   * Pods to run: the wanted shards, but never fewer than the published ring names, so a confirmed shrink first
   * leaves the ring and only then loses its pods.
   */
  replicas: number;
}

function redisArgs(managed: ManagedRedis): string[] {
  const args = ['--port', String(REDIS_PORT), '--requirepass', '$(REDIS_PASSWORD)', '--masterauth', '$(REDIS_PASSWORD)'];
  if (managed.persistence?.enabled) args.push('--dir', '/data', '--appendonly', 'yes');
  else args.push('--save', '', '--appendonly', 'no');
  return args;
}

/**
 * The Redis shards: one StatefulSet whose pod ordinals are the shard indexes (pod <name>-redis-3 is shard 3).
 * Pods start in parallel (shards are independent); volumes outlive scale-down and deletion (Retain).
 */
export function buildRedisStatefulSet(input: RedisStatefulSetInput): V1StatefulSet {
  const { cluster, managed } = input;
  const names = childNames(cluster.name);
  const selector = selectorLabels(cluster.name, 'redis');
  const persistent = managed.persistence?.enabled === true;
  const claims: V1PersistentVolumeClaim[] = persistent
    ? [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', labels: childLabels(cluster.name, 'redis') },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: String(managed.persistence?.size ?? '1Gi') } },
            ...(managed.persistence?.storageClassName ? { storageClassName: managed.persistence.storageClassName } : {}),
          },
        },
      ]
    : [];
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: names.redisStatefulSet,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'redis'),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      serviceName: names.redisService,
      replicas: input.replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selector },
      ...(persistent
        ? {
            volumeClaimTemplates: claims,
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          }
        : {}),
      template: {
        metadata: { labels: childLabels(cluster.name, 'redis') },
        spec: {
          terminationGracePeriodSeconds: 30,
          ...(cluster.spec.imagePullSecrets ? { imagePullSecrets: cluster.spec.imagePullSecrets } : {}),
          containers: [
            {
              name: 'redis',
              image: managed.image,
              command: ['redis-server'],
              args: redisArgs(managed),
              env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: names.credentials, key: credentialKeys.redisPassword } } }],
              ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 5, failureThreshold: 2 },
              livenessProbe: { tcpSocket: { port: 'redis' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
              ...containerResources(managed.resources),
              ...(persistent ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
            },
          ],
        },
      },
    },
  };
}

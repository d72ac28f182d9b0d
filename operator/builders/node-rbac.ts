import type { V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import { RTC_GROUP, RTC_PLURAL } from '../../src/kube/realtime-cluster-api.js';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels } from './labels.js';
import { childNames } from './names.js';

// Nodes read their own RealtimeCluster (the ring in its status, live channel options in its spec) and nothing
// else: one Role naming that one object.

export function buildNodeServiceAccount(cluster: ClusterRef): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: childNames(cluster.name).nodeServiceAccount,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'rbac'),
      ownerReferences: [ownerReference(cluster)],
    },
    automountServiceAccountToken: true,
  };
}

export function buildNodeRole(cluster: ClusterRef): V1Role {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: {
      name: childNames(cluster.name).nodeRole,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'rbac'),
      ownerReferences: [ownerReference(cluster)],
    },
    rules: [
      {
        apiGroups: [RTC_GROUP],
        resources: [RTC_PLURAL],
        resourceNames: [cluster.name],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  };
}

export function buildNodeRoleBinding(cluster: ClusterRef): V1RoleBinding {
  const names = childNames(cluster.name);
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: names.nodeRoleBinding,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'rbac'),
      ownerReferences: [ownerReference(cluster)],
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: names.nodeRole },
    subjects: [{ kind: 'ServiceAccount', name: names.nodeServiceAccount, namespace: cluster.namespace }],
  };
}

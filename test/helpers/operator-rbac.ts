// The permissions the operator runs with in the tests: exactly what it needs, so a missing rule fails a test.
// (The Helm chart's ClusterRole must grant the same.)
import type { KubeConfig } from '@kubernetes/client-node';

import { KubeClient } from '../../src/kube/kube-client.js';

export const operatorClusterRules = [
  { apiGroups: ['ringcast.dev'], resources: ['realtimeclusters'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['ringcast.dev'], resources: ['realtimeclusters/status'], verbs: ['get', 'patch', 'update'] },
  // Secrets: only the operator's own credentials Secrets are listed (by label) and only as metadata; the data of
  // one is read when a key must be added to it.
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: [''], resources: ['configmaps', 'serviceaccounts', 'services'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  // Pods: readiness of Redis shards and nodes, pod IPs to read connection counts, deletion costs on scale-down.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
];

/** Leader election happens in the operator's own namespace. */
export const operatorLeaseRules = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }];

/**
 * Creates the operator's ServiceAccount in `namespace` with the ClusterRole above (bound cluster-wide, named after
 * the namespace so test files do not share it) and the lease Role.
 */
export async function installOperatorRbac(admin: KubeConfig, namespace: string, serviceAccount = 'ringcast-operator'): Promise<void> {
  const client = new KubeClient(admin);
  const manager = 'ringcast-e2e';
  const clusterRoleName = `ringcast-operator-${namespace}`;
  const apply = (path: string, body: object) => client.apply(path, body, manager);
  await apply(`/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccount, namespace },
  });
  await apply(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${clusterRoleName}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: clusterRoleName },
    rules: operatorClusterRules,
  });
  await apply(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${clusterRoleName}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: clusterRoleName },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
  });
  await apply(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/ringcast-operator-lease`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'ringcast-operator-lease', namespace },
    rules: operatorLeaseRules,
  });
  await apply(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/ringcast-operator-lease`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ringcast-operator-lease', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ringcast-operator-lease' },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
  });
}

/** Removes the cluster-scoped part (the namespace takes the rest with it). */
export async function removeOperatorRbac(admin: KubeConfig, namespace: string): Promise<void> {
  const client = new KubeClient(admin);
  const name = `ringcast-operator-${namespace}`;
  for (const path of [`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}`, `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`]) {
    await client.request('DELETE', path).catch(() => undefined);
  }
}

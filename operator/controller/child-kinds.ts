// The kinds the operator owns (applies and watches) or observes (pods), with where they live in the API.

export interface KindInfo {
  kind: string;
  apiVersion: string;
  plural: string;
}

export const KINDS = {
  Secret: { kind: 'Secret', apiVersion: 'v1', plural: 'secrets' },
  ConfigMap: { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps' },
  ServiceAccount: { kind: 'ServiceAccount', apiVersion: 'v1', plural: 'serviceaccounts' },
  Service: { kind: 'Service', apiVersion: 'v1', plural: 'services' },
  Pod: { kind: 'Pod', apiVersion: 'v1', plural: 'pods' },
  Role: { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles' },
  RoleBinding: { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings' },
  Deployment: { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments' },
  StatefulSet: { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets' },
  PodDisruptionBudget: { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  HorizontalPodAutoscaler: { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers' },
} as const satisfies Record<string, KindInfo>;

export type KindName = keyof typeof KINDS;

/** Kinds the operator applies; Secrets are created and patched (never applied, see credentials), Pods only read. */
export const APPLIED_KINDS: readonly KindName[] = [
  'ConfigMap',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'StatefulSet',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
];

function apiPrefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection path, in one namespace or (undefined) across all. */
export function collectionPath(info: KindInfo, namespace?: string): string {
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${apiPrefix(info.apiVersion)}${ns}/${info.plural}`;
}

export function objectPath(info: KindInfo, namespace: string, name: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}`;
}

export function kindOf(kind: string): KindInfo {
  const info = (KINDS as Record<string, KindInfo>)[kind];
  if (!info) throw new Error(`the operator does not manage kind ${kind}`);
  return info;
}

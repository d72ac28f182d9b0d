// The labels every child carries. The operator's informers select on MANAGED_BY; the component label tells node
// pods from Redis pods; the instance label names the RealtimeCluster an object belongs to.

export const MANAGED_BY = 'ringcast-operator';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

export type Component = 'node' | 'redis' | 'credentials' | 'config' | 'rbac' | 'service' | 'autoscaler';

/** The selector labels of a component's pods (stable: Deployment and StatefulSet selectors are immutable). */
export function selectorLabels(cluster: string, component: Component): Record<string, string> {
  return { [LABEL_NAME]: 'ringcast', [LABEL_INSTANCE]: cluster, [LABEL_COMPONENT]: component };
}

export function childLabels(cluster: string, component: Component): Record<string, string> {
  return { ...selectorLabels(cluster, component), [LABEL_MANAGED_BY]: MANAGED_BY };
}

/** A label selector string (`k=v,k=v`) for the pods of a component: status.selector for the scale subresource. */
export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Label selector the operator's informers use for every kind it owns. */
export const managedBySelector = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;

import type { KubeObject } from '../../src/kube/kube-object.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, type Component } from '../builders/labels.js';

/** The parts of a Pod the operator reads. */
export interface PodObject extends KubeObject {
  status?: {
    podIP?: string;
    phase?: string;
    conditions?: { type: string; status: string }[];
  };
}

export function podReady(pod: PodObject | undefined): boolean {
  if (!pod || pod.metadata.deletionTimestamp) return false;
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The pods of one component of one cluster, from the pod cache. */
export function componentPods(pods: readonly KubeObject[], namespace: string, cluster: string, component: Component): PodObject[] {
  return pods.filter(
    (pod) =>
      pod.metadata.namespace === namespace &&
      pod.metadata.labels?.[LABEL_INSTANCE] === cluster &&
      pod.metadata.labels?.[LABEL_COMPONENT] === component,
  ) as PodObject[];
}

/** http://<pod IP>:<port><path>, with brackets for IPv6. */
export function podUrl(pod: PodObject, port: number, path: string): string | undefined {
  const ip = pod.status?.podIP;
  if (!ip) return undefined;
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${path}`;
}

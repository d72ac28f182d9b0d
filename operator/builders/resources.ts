import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { ResourceRequirements } from '../../src/kube/realtime-cluster-spec.js';

const quantities = (map: Record<string, string | number> | undefined): Record<string, string> | undefined =>
  map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])) : undefined;

/** Container resources from the spec (quantities written as numbers become strings, as the API returns them). */
export function containerResources(resources: ResourceRequirements | undefined): { resources?: V1ResourceRequirements } {
  if (!resources) return {};
  const requests = quantities(resources.requests);
  const limits = quantities(resources.limits);
  return { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } };
}

import { RTC_API_VERSION, RTC_KIND } from '../../src/kube/realtime-cluster-api.js';
import type { OwnerReference } from '../../src/kube/kube-object.js';
import type { RealtimeClusterSpec } from '../../src/kube/realtime-cluster-spec.js';

/** The RealtimeCluster a builder works from: identity plus the parsed spec (defaults applied). */
export interface ClusterRef {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly spec: RealtimeClusterSpec;
}

/** Every child is controlled by its RealtimeCluster, so deleting the cluster deletes them (garbage collector). */
export function ownerReference(cluster: ClusterRef): OwnerReference {
  return {
    apiVersion: RTC_API_VERSION,
    kind: RTC_KIND,
    name: cluster.name,
    uid: cluster.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

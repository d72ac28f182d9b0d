import type { ClusterRef } from '../builders/cluster-ref.js';
import { KINDS, objectPath } from './child-kinds.js';
import { componentPods, podReady, podUrl, type PodObject } from './pods.js';
import type { ReconcileContext } from './reconcile-context.js';

export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const INT32_MAX = 2_147_483_647;

export interface NodeLoad {
  pod: string;
  connections: number | undefined;
}

/**
 * Before node replicas go down: every node pod's deletion cost becomes its connection count (read fresh from the
 * pod), so the ReplicaSet removes the pods with the fewest clients and the fewest reconnects follow. A pod that
 * cannot be read loses its old cost rather than keep a stale one.
 */
export async function markDeletionCosts(
  ctx: ReconcileContext,
  cluster: ClusterRef,
  metricsPath: string,
): Promise<NodeLoad[]> {
  const pods = componentPods(ctx.children.Pod.list(cluster.namespace), cluster.namespace, cluster.name, 'node').filter(
    (pod) => !pod.metadata.deletionTimestamp,
  );
  const targets = pods.flatMap((pod: PodObject) => {
    const url = podReady(pod) ? podUrl(pod, cluster.spec.nodes.port, metricsPath) : undefined;
    return url ? [{ uid: pod.metadata.uid ?? pod.metadata.name, name: pod.metadata.name, cluster: `${cluster.namespace}/${cluster.name}`, url }] : [];
  });
  const counts = await ctx.scraper.scrape(targets);
  const loads: NodeLoad[] = [];
  for (const pod of pods) {
    const connections = counts.get(pod.metadata.uid ?? pod.metadata.name);
    loads.push({ pod: pod.metadata.name, connections });
    const want = connections === undefined ? undefined : String(Math.min(connections, INT32_MAX));
    const have = pod.metadata.annotations?.[DELETION_COST_ANNOTATION];
    if (want === have) continue;
    await ctx.client.mergePatch(objectPath(KINDS.Pod, cluster.namespace, pod.metadata.name), {
      metadata: { annotations: { [DELETION_COST_ANNOTATION]: want ?? null } },
    });
  }
  return loads.sort((a, b) => (a.connections ?? -1) - (b.connections ?? -1));
}

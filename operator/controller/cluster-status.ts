import { RTC_API_VERSION, RTC_KIND, realtimeClustersPath } from '../../src/kube/realtime-cluster-api.js';
import type { RealtimeClusterStatus } from '../../src/kube/realtime-cluster-status.js';
import type { RealtimeClusterObject } from '../../src/kube/realtime-cluster.js';
import { stableStringify } from '../builders/stable-hash.js';
import { FIELD_MANAGER, type ReconcileContext } from './reconcile-context.js';

/**
 * Writes the status (server-side apply on the status subresource) unless it is already exactly that: a steady
 * state writes nothing. Returns whether it wrote.
 */
export async function writeStatus(
  ctx: ReconcileContext,
  namespace: string,
  name: string,
  liveStatus: unknown,
  status: RealtimeClusterStatus,
): Promise<boolean> {
  if (stableStringify(liveStatus ?? {}) === stableStringify(status)) return false;
  const path = `${realtimeClustersPath(namespace)}/${encodeURIComponent(name)}/status`;
  const written = await ctx.client.apply<RealtimeClusterObject>(
    path,
    { apiVersion: RTC_API_VERSION, kind: RTC_KIND, metadata: { name, namespace }, status },
    FIELD_MANAGER,
  );
  ctx.clusters.upsert(written);
  ctx.metrics.statusWrites.inc();
  return true;
}

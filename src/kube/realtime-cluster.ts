import type { KubeObject } from './kube-object.js';
import { realtimeClusterSpecSchema, type RealtimeClusterSpec } from './realtime-cluster-spec.js';
import { realtimeClusterStatusSchema, type RealtimeClusterStatus } from './realtime-cluster-status.js';

/** A RealtimeCluster as the API returns it; spec and status are parsed on use. */
export interface RealtimeClusterObject extends KubeObject {
  spec?: unknown;
  status?: unknown;
}

export type SpecResult = { ok: true; spec: RealtimeClusterSpec } | { ok: false; message: string };

/** The spec with defaults applied, or what is wrong with it (the CRD should have refused it already). */
export function parseSpec(obj: RealtimeClusterObject): SpecResult {
  const parsed = realtimeClusterSpecSchema.safeParse(obj.spec ?? {});
  if (parsed.success) return { ok: true, spec: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue ? ['spec', ...issue.path.map(String)].join('.') : 'spec';
  return { ok: false, message: `${path}: ${issue?.message ?? 'invalid'}` };
}

/** The status, or undefined when there is none (or it cannot be read: the operator then writes a fresh one). */
export function parseStatus(obj: RealtimeClusterObject): RealtimeClusterStatus | undefined {
  if (obj.status === undefined || obj.status === null) return undefined;
  const parsed = realtimeClusterStatusSchema.safeParse(obj.status);
  return parsed.success ? parsed.data : undefined;
}

import type { KubeObject } from '../../src/kube/kube-object.js';
import { stableHash } from '../builders/stable-hash.js';
import { kindOf, objectPath } from './child-kinds.js';
import { APPLIED_HASH_ANNOTATION, needsApply } from './needs-apply.js';
import { FIELD_MANAGER, type ReconcileContext } from './reconcile-context.js';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Server-side applies one child when it needs it (see needsApply), as field manager `ringcast-operator`, taking
 * over conflicting fields (the operator owns what it sets). The applied object carries the hash of what was
 * wanted, so the next reconcile can tell "unchanged" without a request.
 */
export async function applyChild(ctx: ReconcileContext, desired: KubeObject): Promise<ApplyOutcome> {
  const kind = desired.kind ?? '';
  const info = kindOf(kind);
  const { namespace = '', name } = desired.metadata;
  const hash = stableHash(desired);
  const withHash: KubeObject = {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...desired.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash } },
  };
  const live = ctx.children[info.kind as keyof typeof ctx.children].get(namespace, name);
  if (!needsApply(withHash, hash, live)) return 'unchanged';
  const applied = await ctx.client.apply<KubeObject>(objectPath(info, namespace, name), withHash, FIELD_MANAGER);
  ctx.children[info.kind as keyof typeof ctx.children].upsert(applied);
  ctx.metrics.applies.inc({ kind });
  ctx.noteApply();
  return live ? 'updated' : 'created';
}

/** Deletes a child the spec no longer wants (an HPA after autoscaling is turned off, Redis after going external). */
export async function deleteChild(ctx: ReconcileContext, kind: string, namespace: string, name: string): Promise<boolean> {
  const info = kindOf(kind);
  const live = ctx.children[info.kind as keyof typeof ctx.children].get(namespace, name);
  if (!live || live.metadata.deletionTimestamp) return false;
  await ctx.client.request('DELETE', objectPath(info, namespace, name), {
    body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: live.metadata.uid }, propagationPolicy: 'Background' },
  });
  return true;
}

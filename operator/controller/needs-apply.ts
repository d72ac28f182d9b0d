import type { KubeObject } from '../../src/kube/kube-object.js';

export const APPLIED_HASH_ANNOTATION = 'ringcast.dev/applied-hash';

/**
 * Whether every value `desired` sets is present and equal in `live` (fields the API server or other controllers
 * add to `live` are ignored). Lists must match item by item.
 */
export function containsDesired(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && live.length === desired.length && desired.every((item, i) => containsDesired(item, live[i]));
  }
  if (typeof desired === 'object' && desired !== null) {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(
      ([key, value]) => value === undefined || containsDesired(value, liveRecord[key]),
    );
  }
  return desired === live;
}

/**
 * A child must be applied when it does not exist, when what the operator wants of it changed since the last apply
 * (the hash annotation differs: this also catches fields the operator no longer sets, which apply then removes),
 * or when someone changed a field the operator sets (drift). Otherwise the apply would change nothing, and a steady
 * state makes no requests at all.
 */
export function needsApply(desired: KubeObject, hash: string, live: KubeObject | undefined): boolean {
  if (!live) return true;
  if (live.metadata.annotations?.[APPLIED_HASH_ANNOTATION] !== hash) return true;
  // Items of a list carry no apiVersion/kind; the path already says what the object is.
  return !containsDesired({ ...desired, apiVersion: undefined, kind: undefined }, live);
}

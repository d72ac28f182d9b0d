import type { Condition } from '../../src/kube/realtime-cluster-status.js';

export type ConditionType = 'Ready' | 'Progressing' | 'Degraded';
export const CONDITION_TYPES: readonly ConditionType[] = ['Ready', 'Progressing', 'Degraded'];

export interface ConditionState {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * The condition as it should be stored: lastTransitionTime moves only when the status changes, so reading a
 * condition tells how long the cluster has been in that state.
 */
export function nextCondition(
  previous: readonly Condition[] | undefined,
  type: ConditionType,
  state: ConditionState,
  generation: number,
  now: string,
): Condition {
  const before = previous?.find((condition) => condition.type === type);
  const lastTransitionTime = before && before.status === state.status ? before.lastTransitionTime : now;
  return { type, status: state.status, observedGeneration: generation, lastTransitionTime, reason: state.reason, message: state.message };
}

// Polling with a deadline: the one way the control plane and the e2e tests wait for something.
import { setTimeout as delay } from 'node:timers/promises';

import { KubeControlPlaneError } from './kube-errors.js';

export interface PollOptions {
  /** What is awaited, for the timeout message ("kube-apiserver /readyz"). */
  readonly what: string;
  readonly timeoutMs: number;
  /** Pause between attempts; default 100 ms. */
  readonly intervalMs?: number;
  /** Checked before every attempt; a returned string aborts the wait with that reason. */
  readonly abortIf?: () => string | undefined;
}

/**
 * Calls `attempt` until it returns a value other than `undefined` and returns that value.
 * An attempt that throws counts as "not yet"; the last error is the cause of the timeout error.
 */
export async function pollUntil<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort !== undefined) {
      throw new KubeControlPlaneError('KUBE_PROCESS_EXITED', `gave up waiting for ${options.what}: ${abort}`);
    }
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new KubeControlPlaneError(
        'KUBE_TIMEOUT',
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${detail}`,
        { cause: lastError },
      );
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Wall-clock microseconds since the epoch, from the monotonic clock anchored at process start. Every process
 * on the machine reads the same wall clock, so a timestamp written by one process (or by another program)
 * can be compared with this one's.
 */
const origin = performance.timeOrigin;

export function nowUs(): number {
  return Math.floor((origin + performance.now()) * 1000);
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

import { nsToMs, parseGoDuration } from '../../src/config/go-duration.js';

/** A CRD duration ("30s", "1m30s"; the CRD's pattern already checked it) in milliseconds. */
export function durationToMs(text: string): number {
  const ns = parseGoDuration(text);
  if (ns === null) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return nsToMs(ns);
}

/** Whole seconds, rounded up (Kubernetes takes seconds for grace periods and sleeps). */
export function msToSecondsCeil(ms: number): number {
  return Math.ceil(ms / 1000);
}

import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { formatRate } from '../progress.js';
import type { ClientSpec } from '../subscribers.js';
import type { Subscribers } from '../subscribers.js';

export interface PacedConnectResult {
  ready: number;
  failed: number;
  pending: number;
  seconds: number;
  ratePerSecond: number;
  /** Set when the ramp stopped early because too many clients failed. */
  stoppedEarly: string | undefined;
}

export interface PacedConnectSpec {
  count: number;
  /** Connections opened per second at most. */
  ratePerSecond: number;
  /** Clients [from, to): added (tokens signed) chunk by chunk so a million specs never sit in memory at once. */
  specs(from: number, to: number): ClientSpec[];
  /** Extra text for the progress line (e.g. server RSS), called every 2 s or so. */
  status?: () => Promise<string>;
  title: string;
}

/**
 * Adds and connects clients in chunks of half a second's worth, never ahead of `ratePerSecond`, with a
 * live progress line (and a logged line every 10 s for non-terminal output). Stops early when more than
 * 1 % (at least 100) of the clients tried so far failed: a run that cannot hold its connections has its
 * answer, and waiting out a million timeouts helps nobody.
 */
export async function pacedConnect(ctx: BenchContext, pool: Subscribers, spec: PacedConnectSpec): Promise<PacedConnectResult> {
  const o = ctx.options;
  // Half a second's worth per chunk: each chunk waits for its slowest client, so smaller chunks stall more.
  const chunk = Math.max(1, Math.min(20_000, Math.round(spec.ratePerSecond / 2)));
  const started = performance.now();
  let ready = 0;
  let failed = 0;
  let pending = 0;
  let lastLog = started;
  let lastStatus = '';
  let lastStatusAt = 0;
  let stoppedEarly: string | undefined;
  const first = pool.size;
  let adding = pool.add(spec.specs(first, Math.min(spec.count, first + chunk)));
  for (let from = first; from < spec.count; from += chunk) {
    const to = Math.min(spec.count, from + chunk);
    await adding;
    // The next chunk's tokens are signed while this one connects.
    const nextTo = Math.min(spec.count, to + chunk);
    adding = nextTo > to ? pool.add(spec.specs(to, nextTo)) : Promise.resolve();
    const r = await pool.connect(from, to, o.connectTimeoutSeconds * 1000);
    ready += r.ready;
    failed += r.failed;
    pending += r.pending;
    const now = performance.now();
    const elapsed = (now - started) / 1000;
    if (spec.status && now - lastStatusAt > 2000) {
      lastStatus = await spec.status();
      lastStatusAt = now;
    }
    const line =
      `${spec.title}: ${ready}/${spec.count} connected (${formatRate(ready / Math.max(elapsed, 0.001))}/s), ` +
      `${failed} failed, ${pending} pending, ${elapsed.toFixed(0)} s` +
      (ready < spec.count ? `, ~${Math.ceil((spec.count - to) / Math.max(1, ready / Math.max(elapsed, 0.001)))} s left` : '') +
      (lastStatus ? ` | ${lastStatus}` : '');
    if (now - lastLog >= 10_000) {
      ctx.progress.log(`  ${line}`, o.quiet);
      lastLog = now;
    } else {
      ctx.progress.update(line);
    }
    if (failed + pending > Math.max(100, 0.01 * to)) {
      stoppedEarly = `ramp stopped at ${to}/${spec.count}: ${failed} failed, ${pending} not ready in time`;
      await adding;
      break;
    }
    const due = started + (to / spec.ratePerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const seconds = (performance.now() - started) / 1000;
  return { ready, failed, pending, seconds, ratePerSecond: seconds > 0 ? ready / seconds : 0, stoppedEarly };
}

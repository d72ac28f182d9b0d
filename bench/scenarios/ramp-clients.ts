import type { BenchContext } from '../context.js';
import { formatRate } from '../progress.js';
import type { OpenResult, Subscribers } from '../subscribers.js';

/** Connects clients [0, count) of the pool with a progress line; notes failures in `problems`. */
export async function connectClients(ctx: BenchContext, pool: Subscribers, count: number, problems: string[]): Promise<OpenResult> {
  ctx.progress.update(`${ctx.options.scenario}: connecting ${count} clients`);
  const opened = await pool.connect(0, count, ctx.options.connectTimeoutSeconds * 1000);
  ctx.progress.log(
    `  ${ctx.options.scenario}: ${opened.ready} clients ready (${formatRate(opened.ratePerSecond)}/s), ${opened.failed} failed, ${opened.pending} pending`,
    ctx.options.quiet,
  );
  if (opened.failed + opened.pending > 0) problems.push(`${opened.failed} clients failed, ${opened.pending} not ready in time`);
  return opened;
}

/** Close codes the server sent to ready clients during a run, and errors, as problems. */
export async function closeProblems(pool: Subscribers): Promise<string[]> {
  return pool.problems();
}

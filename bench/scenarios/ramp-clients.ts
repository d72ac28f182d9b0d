import type { BenchContext } from '../context.js';
import { formatRate } from '../progress.js';
import type { OpenResult, SubscriberPool } from '../subscriber-pool.js';

/** Connects clients [0, count) of the pool with a progress line; notes failures in `problems`. */
export async function connectClients(ctx: BenchContext, pool: SubscriberPool, count: number, problems: string[]): Promise<OpenResult> {
  const timer = setInterval(() => ctx.progress.update(`${ctx.options.scenario}: connecting ${pool.live}/${count}`), 500);
  const opened = await pool.connect(0, count, ctx.options.connectTimeoutSeconds * 1000);
  clearInterval(timer);
  ctx.progress.log(
    `  ${ctx.options.scenario}: ${pool.live} clients ready (${formatRate(opened.ratePerSecond)}/s), ${opened.failed} failed, ${opened.pending} pending`,
    ctx.options.quiet,
  );
  if (opened.failed + opened.pending > 0) problems.push(`${opened.failed} clients failed, ${opened.pending} not ready in time`);
  return opened;
}

/** Close codes the server sent to ready clients during a run, as problems. */
export function closeProblems(pool: SubscriberPool): string[] {
  const out: string[] = [];
  for (const [code, n] of pool.unexpectedCloses) out.push(`${n} clients closed by the server with code ${code}`);
  return [...out, ...pool.errors.slice(0, 5)];
}

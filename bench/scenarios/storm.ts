import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { roundSummary } from '../context.js';
import { CpuMeter } from '../cpu-meter.js';
import type { PercentileSummary } from '../histogram.js';
import { formatRate } from '../progress.js';
import { SubscriberPool } from '../subscriber-pool.js';
import { personalClients } from './personal-clients.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface StormData {
  clients: number;
  /** Clients back (connected and resubscribed) and how long it took from the drop. */
  recovered: number;
  secondsToAllResubscribed: number;
  reconnectRatePerSecond: number;
  setupLatency: PercentileSummary;
  serverRssBeforeBytes: number;
  /** Highest RSS sampled every 50 ms from the drop until all were back. */
  serverPeakRssBytes: number;
  serverRssAfterBytes: number;
  /** Server CPU (fraction of a core) during the storm. */
  serverCpu: number;
}

/** Drops every client at once and reconnects them all: time until all resubscribed, peak server memory. */
export async function runStorm(ctx: BenchContext): Promise<ScenarioOutcome<StormData>> {
  const o = ctx.options;
  const pool = new SubscriberPool({ target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources });
  const problems: string[] = [];
  await pool.add(personalClients(o, o.connections));
  await connectClients(ctx, pool, o.connections, problems);
  await sleep(1000);
  const before = await ctx.probe.sample();
  let peak = before.rssBytes;
  const sampler = setInterval(() => {
    void ctx.probe.sample().then((s) => {
      peak = Math.max(peak, s.rssBytes);
    });
  }, 50);
  const meter = new CpuMeter();
  const cpu0 = await ctx.probe.cpuSeconds();
  const t0 = performance.now();
  pool.dropAll();
  const progress = setInterval(() => ctx.progress.update(`storm: ${pool.live}/${o.connections} back`), 250);
  const again = await pool.connect(0, o.connections, o.connectTimeoutSeconds * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = ((await ctx.probe.cpuSeconds()) - cpu0) / seconds;
  const generatorCpu = meter.lap();
  clearInterval(progress);
  clearInterval(sampler);
  await sleep(1000);
  const after = await ctx.probe.sample();
  peak = Math.max(peak, after.rssBytes);
  ctx.progress.log(
    `  storm: ${again.ready}/${o.connections} resubscribed in ${seconds.toFixed(2)} s (${formatRate(again.ratePerSecond)}/s), peak RSS ${(peak / 1048576).toFixed(0)} MiB`,
    o.quiet,
  );
  if (again.ready < o.connections) problems.push(`${o.connections - again.ready} clients not back after the storm`);
  await pool.closeAll();
  await sleep(300);
  return {
    generatorCpu,
    problems: [...problems, ...(await closeProblems(pool))],
    data: {
      clients: o.connections,
      recovered: again.ready,
      secondsToAllResubscribed: Math.round(seconds * 1000) / 1000,
      reconnectRatePerSecond: Math.round(again.ratePerSecond),
      setupLatency: roundSummary(again.setup),
      serverRssBeforeBytes: before.rssBytes,
      serverPeakRssBytes: peak,
      serverRssAfterBytes: after.rssBytes,
      serverCpu: Math.round(serverCpu * 1000) / 1000,
    },
  };
}

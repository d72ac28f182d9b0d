import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { roundSummary } from '../context.js';
import { CpuMeter, generatorCpu } from '../cpu-meter.js';
import type { PercentileSummary } from '../histogram.js';
import { HttpPublisher } from '../http-publisher.js';
import { createSubscribers } from '../native-pool.js';
import { formatRate } from '../progress.js';
import type { RecoveryCounts } from '../recovery-tracker.js';
import type { ClientSpec } from '../subscribers.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface StormData {
  clients: number;
  /** History channels the clients spread over, and publications each got while they were away. */
  channels: number;
  missedPerChannel: number;
  /** Publications the API acknowledged while the clients were away. */
  publishedWhileAway: number;
  /** Clients back (connected and resubscribed) and how long it took from the drop. */
  recovered: number;
  secondsToAllResubscribed: number;
  reconnectRatePerSecond: number;
  /** What the resubscribes answered: every one should be `recovered` with its channel's missed publications. */
  recovery: RecoveryCounts;
  /** Publications the clients should have recovered, summed over clients. */
  expectedRecoveredPublications: number;
  setupLatency: PercentileSummary;
  serverRssBeforeBytes: number;
  /** Highest RSS sampled every 50 ms from the drop until all were back. */
  serverPeakRssBytes: number;
  serverRssAfterBytes: number;
  /** Server CPU (fraction of a core) during the reconnect, and per client reconnected. */
  serverCpu: number;
  serverCpuUsPerReconnect: number;
}

/**
 * A reconnect storm with recovery, as after a load balancer restart: N recoverable clients over history
 * channels drop at once, each channel gets `missed` publications while they are away, then every client
 * reconnects and recovers from its last position. Measures the time until all are back, the server's CPU
 * per reconnect and peak memory, and checks that every resubscribe recovered exactly what it missed.
 */
export async function runStorm(ctx: BenchContext): Promise<ScenarioOutcome<StormData>> {
  const o = ctx.options;
  const channels = Math.min(o.channels, o.connections);
  const channelOf = (i: number): string => `${o.historyNamespace}:${o.channelPrefix}.storm.${i % channels}`;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, { target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources });
  const publisher = new HttpPublisher({ target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: 1 }, channelOf);
  const problems: string[] = [];
  try {
    await publisher.start();
    const specs: ClientSpec[] = [];
    for (let i = 0; i < o.connections; i++) specs.push({ user: `${o.channelPrefix}-s${i}`, channels: [channelOf(i)], recoverable: true });
    await pool.add(specs);
    await connectClients(ctx, pool, o.connections, problems);
    await sleep(1000);
    const before = await ctx.probe.sample();

    await pool.dropAll();
    const published = await publishExactly(ctx, publisher, channels * o.missed);
    if (published < channels * o.missed) problems.push(`${channels * o.missed - published} publications not acknowledged while the clients were away: ${publisher.lastError}`);

    let peak = before.rssBytes;
    const sampler = setInterval(() => {
      void ctx.probe.sample().then((s) => {
        peak = Math.max(peak, s.rssBytes);
      });
    }, 50);
    const meter = new CpuMeter();
    const helper0 = (await pool.sample(false)).helperCpuSeconds;
    const cpu0 = await ctx.probe.cpuSeconds();
    const progress = setInterval(() => ctx.progress.update(`storm: reconnecting ${o.connections} clients`), 250);
    const again = await pool.connect(0, o.connections, o.connectTimeoutSeconds * 1000);
    const serverCpuSeconds = (await ctx.probe.cpuSeconds()) - cpu0;
    const helper = await pool.sample(false);
    const generator = generatorCpu(meter.lap(), helper.helperCpuSeconds - helper0, helper.helperProcesses, again.seconds);
    clearInterval(progress);
    clearInterval(sampler);
    await sleep(1000);
    const after = await ctx.probe.sample();
    peak = Math.max(peak, after.rssBytes);

    const recovery = await pool.recovery();
    const expected = o.connections * o.missed;
    if (again.ready < o.connections) problems.push(`${o.connections - again.ready} clients not back after the storm`);
    if (recovery.recovered < again.ready) problems.push(`${again.ready - recovery.recovered} resubscribes did not recover`);
    if (recovery.publications !== expected) problems.push(`recovered ${recovery.publications} publications, expected ${expected}`);
    if (recovery.gaps > 0) problems.push(`${recovery.gaps} recoveries skipped offsets`);
    ctx.progress.log(
      `  storm: ${again.ready}/${o.connections} back and recovered in ${again.seconds.toFixed(2)} s (${formatRate(again.ratePerSecond)}/s), ` +
        `${recovery.publications} publications recovered, peak RSS ${(peak / 1048576).toFixed(0)} MiB`,
      o.quiet,
    );
    return {
      generatorCpu: generator,
      problems: [...problems, ...(await closeProblems(pool))],
      data: {
        clients: o.connections,
        channels,
        missedPerChannel: o.missed,
        publishedWhileAway: published,
        recovered: again.ready,
        secondsToAllResubscribed: Math.round(again.seconds * 1000) / 1000,
        reconnectRatePerSecond: Math.round(again.ratePerSecond),
        recovery,
        expectedRecoveredPublications: expected,
        setupLatency: roundSummary(again.setup),
        serverRssBeforeBytes: before.rssBytes,
        serverPeakRssBytes: peak,
        serverRssAfterBytes: after.rssBytes,
        serverCpu: again.seconds > 0 ? Math.round((serverCpuSeconds / again.seconds) * 1000) / 1000 : 0,
        serverCpuUsPerReconnect: again.ready > 0 ? Math.round((serverCpuSeconds * 1e6) / again.ready) : Number.NaN,
      },
    };
  } finally {
    publisher.stop();
    await pool.closeAll();
    await sleep(300);
  }
}

/** Publishes `total` publications (round-robin over the channels) and waits for their answers; returns the acknowledged. */
async function publishExactly(ctx: BenchContext, publisher: HttpPublisher, total: number): Promise<number> {
  const deadline = performance.now() + ctx.options.connectTimeoutSeconds * 1000;
  let sent = 0;
  while (sent < total && performance.now() < deadline) {
    sent += publisher.send(Math.min(total - sent, 256));
    ctx.progress.update(`storm: publishing while the clients are away ${publisher.totals.ok}/${total}`);
    if (sent < total) await sleep(1);
  }
  await publisher.drain(Math.max(0, deadline - performance.now()));
  return publisher.totals.ok;
}

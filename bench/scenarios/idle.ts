import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { roundSummary } from '../context.js';
import { CpuMeter, generatorCpu } from '../cpu-meter.js';
import type { PercentileSummary } from '../histogram.js';
import { formatRate } from '../progress.js';
import { readSockStat } from '../server-probe.js';
import { createSubscribers } from '../native-pool.js';
import { personalClients } from './personal-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface IdleData {
  connections: number;
  ready: number;
  failed: number;
  connectSeconds: number;
  connectRatePerSecond: number;
  /** Generator CPU (fraction of a core) while connecting: above 0.7 the connect rate is the generator's. */
  connectGeneratorCpu: number;
  /** Server CPU-µs per connect+subscribe (the server's cost, whoever limited the rate). */
  connectServerCpuUs: number;
  /** Socket open to the subscribe reply, µs. */
  setupLatency: PercentileSummary;
  serverRssBytesPerConnection: number;
  serverHeapBytesPerConnection: number;
  /** Kernel TCP buffer memory per connection pair (both ends are on this machine), from /proc/net/sockstat. */
  kernelTcpBytesPerConnection: number;
  serverRssBytes: number;
  /** Server CPU while the clients sat idle (fraction of a core), and per connection. */
  idleServerCpu: number;
  idleCpuUsPerConnectionPerSecond: number;
  idleSeconds: number;
  pingsAnswered: number;
}

/** N clients each on a personal channel, then idle for one ping interval: memory and CPU per connection. */
export async function runIdle(ctx: BenchContext): Promise<ScenarioOutcome<IdleData>> {
  const o = ctx.options;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, { target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources });
  await pool.add(personalClients(o, o.connections));
  await sleep(500);
  const before = await ctx.probe.sample();
  const sockBefore = readSockStat();
  const meter = new CpuMeter();
  const helper0 = (await pool.sample(false)).helperCpuSeconds;
  const connectCpu0 = await ctx.probe.cpuSeconds();
  const progressTimer = setInterval(() => ctx.progress.update(`idle: connecting ${o.connections} clients`), 500);
  const opened = await pool.connect(0, o.connections, o.connectTimeoutSeconds * 1000);
  clearInterval(progressTimer);
  const connectServerCpuSeconds = (await ctx.probe.cpuSeconds()) - connectCpu0;
  const connected = await pool.sample(false);
  const connectCpu = generatorCpu(meter.lap(), connected.helperCpuSeconds - helper0, connected.helperProcesses, opened.seconds);
  ctx.progress.log(`  idle: ${opened.ready} ready in ${opened.seconds.toFixed(1)} s (${formatRate(opened.ratePerSecond)}/s), ${opened.failed} failed`, o.quiet);
  await sleep(2000);
  const after = await ctx.probe.sample();
  const sockAfter = readSockStat();

  const cpu0 = await ctx.probe.cpuSeconds();
  const t0 = performance.now();
  const idleStart = await pool.sample(false);
  meter.lap();
  const end = t0 + o.idleSeconds * 1000;
  while (performance.now() < end) {
    await sleep(Math.min(1000, end - performance.now()));
    ctx.progress.update(`idle: ${o.connections} connections, ${Math.ceil((end - performance.now()) / 1000)} s left`);
  }
  const idleSeconds = (performance.now() - t0) / 1000;
  const held = await pool.sample(false);
  const idleGenCpu = generatorCpu(meter.lap(), held.helperCpuSeconds - idleStart.helperCpuSeconds, held.helperProcesses, idleSeconds);
  const idleServerCpu = ((await ctx.probe.cpuSeconds()) - cpu0) / idleSeconds;
  const ready = opened.ready;
  const problems = await pool.problems();
  await pool.closeAll();
  await sleep(500);
  ctx.progress.clear();
  const per = (bytes: number): number => (ready > 0 ? Math.round(bytes / ready) : 0);
  if (opened.failed + opened.pending > 0) problems.unshift(`${opened.failed} clients failed, ${opened.pending} not ready in time`);
  return {
    generatorCpu: Math.max(idleGenCpu, 0),
    problems,
    data: {
      connections: o.connections,
      ready,
      failed: opened.failed,
      connectSeconds: round2(opened.seconds),
      connectRatePerSecond: Math.round(opened.ratePerSecond),
      connectGeneratorCpu: Math.round(connectCpu * 1000) / 1000,
      connectServerCpuUs: opened.ready > 0 ? Math.round((connectServerCpuSeconds * 1e6) / opened.ready) : Number.NaN,
      setupLatency: roundSummary(opened.setup),
      serverRssBytesPerConnection: per(after.rssBytes - before.rssBytes),
      serverHeapBytesPerConnection: per(after.heapBytes - before.heapBytes),
      kernelTcpBytesPerConnection: per((sockAfter.tcpMemPages - sockBefore.tcpMemPages) * 4096),
      serverRssBytes: after.rssBytes,
      idleServerCpu: round4(idleServerCpu),
      idleCpuUsPerConnectionPerSecond: ready > 0 ? round4((idleServerCpu * 1e6) / ready) : 0,
      idleSeconds: round2(idleSeconds),
      pingsAnswered: held.pings - idleStart.pings,
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round4(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10000) / 10000 : x;
}

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sleep } from '../clock.js';
import type { BenchContext } from '../context.js';
import { cpuBusySeconds, pinnedCpu } from '../core-usage.js';
import { CpuMeter } from '../cpu-meter.js';
import { HttpPublisher } from '../http-publisher.js';
import { tuneKernel, type KernelTuning } from '../kernel-tuning.js';
import { fmtPct, runStep, type StepResult } from '../load-step.js';
import { estimateMemory, parseMemAvailable, publishRateFor, subscribersPerChannel, type MemoryEstimate } from '../million-plan.js';
import { createSubscribers } from '../native-pool.js';
import { formatRate, formatUs } from '../progress.js';
import { readSockStat, type SockStat } from '../server-probe.js';
import { channelClients } from './personal-clients.js';
import { pacedConnect } from './paced-connect.js';
import type { ScenarioOutcome } from './scenario.js';

export interface MillionData {
  connections: number;
  /** Server processes sharing the port (nodes of one cluster on one core); their CPU and RSS are summed. */
  serverProcesses: number;
  channels: number;
  subscribersPerChannel: number;
  memory: MemoryEstimate;
  kernel: KernelTuning;
  /** 1, 5 and 15 minute load averages when the run started and when it ended (the machine may be shared). */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  connectRateLimit: number;
  ready: number;
  failed: number;
  pending: number;
  connectSeconds: number;
  connectRatePerSecond: number;
  connectServerCpu: number;
  connectGeneratorCpu: number;
  /** Connections still connected and subscribed after the sustained window. */
  held: number;
  dropped: number;
  serverRssBytes: number;
  serverHeapBytes: number;
  /** Growth from before the ramp to after it, per ready connection. */
  serverRssBytesPerConnection: number;
  serverHeapBytesPerConnection: number;
  generatorRssBytesPerConnection: number;
  /** /proc/net/sockstat after the ramp (both ends of every loopback connection count). */
  sockstat: SockStat;
  /** TCP buffer memory per connection pair, idle after the ramp and at its highest during the window. */
  kernelTcpBytesPerConnection: number;
  kernelTcpPeakBytes: number;
  /** Kernel slab growth (socket structures of both ends) per connection; noisy on a shared machine. */
  kernelSlabBytesPerConnection: number;
  /**
   * When the server is pinned to one core: that core's busy fraction over the publishing phase (warm-up,
   * window, settling), and the part other processes took. A server below 100 % on a fully busy core was
   * starved by them.
   */
  serverCore: { cpu: number; busy: number; server: number; others: number } | undefined;
  targetDeliveriesPerSecond: number;
  publishRate: number;
  window: StepResult;
}

export class MillionRefusal extends Error {
  readonly code = 'BENCH_MILLION_REFUSED';
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

function slabBytes(): number {
  const m = /^Slab:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const loadAverage = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

/**
 * N connections with JWTs over C channels, ramped at a bounded rate, then a publisher at the rate that gives
 * the target deliveries/s for a sustained window. Checks memory and kernel limits first (raising them as
 * root) and refuses to start when they cannot hold N.
 */
export async function runMillion(ctx: BenchContext): Promise<ScenarioOutcome<MillionData>> {
  const o = ctx.options;
  const n = o.connections;
  const loadAverageAtStart = loadAverage();
  const memory = estimateMemory(n, parseMemAvailable(readFileSync('/proc/meminfo', 'utf8')));
  if (memory.refusal) throw new MillionRefusal(memory.refusal);
  const generatorProcesses = o.nativeSubscriber ? 1 : o.workers;
  const kernel = tuneKernel(n, o.spreadSources && ctx.ws.loopback, o.concurrency, o.serverPids, generatorProcesses);
  for (const line of kernel.changed) ctx.progress.log(`  million: changed ${line}`, o.quiet);
  for (const line of kernel.notes) ctx.progress.log(`  million: note: ${line}`, o.quiet);
  if (kernel.short.length > 0) throw new MillionRefusal(`the kernel cannot hold ${n} connections:\n  ${kernel.short.join('\n  ')}`);
  ctx.progress.log(
    `  million: ${n} connections over ${o.channels} channels; memory estimate ${mib(memory.totalBytes)} of ${mib(memory.availableBytes)} available; ` +
      `load average ${loadAverageAtStart.join(' ')}`,
    o.quiet,
  );

  const name = (i: number): string => `${o.channelPrefix}.m.${i % o.channels}`;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, {
    target: ctx.ws,
    auth: o.auth,
    concurrency: o.concurrency,
    spreadSources: o.spreadSources,
    readIntervalMs: o.readIntervalMs,
  });
  const publisher = new HttpPublisher(
    { target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: o.batch, parallel: o.parallelBatch },
    name,
  );
  const problems: string[] = [];
  try {
    await publisher.start();
    const before = await ctx.probe.sample();
    const sockBefore = readSockStat();
    const slabBefore = slabBytes();
    const genRssBefore = process.memoryUsage().rss;
    const meter = new CpuMeter();
    const cpu0 = await ctx.probe.cpuSeconds();
    const opened = await pacedConnect(ctx, pool, {
      count: n,
      ratePerSecond: o.connectRate,
      specs: (from, to) => channelClients(o, from, to, name),
      status: async () => `server RSS ${mib((await ctx.probe.sample()).rssBytes)}`,
      title: 'million',
    });
    const connectServerCpu = ((await ctx.probe.cpuSeconds()) - cpu0) / Math.max(opened.seconds, 0.001);
    const connectGeneratorCpu = meter.lap();
    ctx.progress.log(
      `  million: ${opened.ready} ready in ${opened.seconds.toFixed(1)} s (${formatRate(opened.ratePerSecond)}/s), ${opened.failed} failed, ${opened.pending} pending; ` +
        `server CPU ${fmtPct(connectServerCpu)}, generator CPU ${fmtPct(connectGeneratorCpu)}`,
      o.quiet,
    );
    if (opened.stoppedEarly) problems.push(opened.stoppedEarly);
    if (opened.failed + opened.pending > 0) problems.push(`${opened.failed} clients failed, ${opened.pending} not ready in time`);
    await sleep(2000);
    const after = await ctx.probe.sample();
    const sockstat = readSockStat();
    const slabAfter = slabBytes();
    const genRssAfter = process.memoryUsage().rss;
    const per = (bytes: number): number => (opened.ready > 0 ? Math.round(bytes / opened.ready) : 0);
    ctx.progress.log(
      `  million: server RSS ${mib(after.rssBytes)} (${(per(after.rssBytes - before.rssBytes) / 1024).toFixed(2)} KiB/conn), ` +
        `heap ${ctx.probe.severalProcesses ? 'n/a (several processes)' : mib(after.heapBytes)}, kernel TCP ${mib(sockstat.tcpMemPages * 4096)}, sockets ${sockstat.tcpInUse}`,
      o.quiet,
    );

    const rate = publishRateFor(o.deliveries, opened.ready, o.channels);
    let tcpPeakPages = sockstat.tcpMemPages;
    const sockSampler = setInterval(() => {
      tcpPeakPages = Math.max(tcpPeakPages, readSockStat().tcpMemPages);
    }, 500);
    const core = o.serverPid !== undefined ? pinnedCpu(o.serverPid) : undefined;
    const coreBusy0 = core !== undefined ? cpuBusySeconds(core) : Number.NaN;
    const serverCpu0 = await ctx.probe.cpuSeconds();
    const phase0 = performance.now();
    let window: StepResult;
    try {
      window = await runStep(ctx, publisher, pool, {
        rate,
        fanout: subscribersPerChannel(opened.ready, o.channels),
        warmupMs: Math.min(5000, o.durationSeconds * 250),
        measureMs: o.durationSeconds * 1000,
        title: `million ${formatRate(opened.ready)} conns`,
      });
    } finally {
      clearInterval(sockSampler);
    }
    const phaseSeconds = (performance.now() - phase0) / 1000;
    const serverPhase = ((await ctx.probe.cpuSeconds()) - serverCpu0) / phaseSeconds;
    const serverCore =
      core !== undefined
        ? { cpu: core, busy: round3((cpuBusySeconds(core) - coreBusy0) / phaseSeconds), server: round3(serverPhase), others: 0 }
        : undefined;
    if (serverCore) serverCore.others = round3(Math.max(0, serverCore.busy - serverCore.server));
    const held = (await pool.sample(false)).live;
    const dropped = opened.ready - held;
    ctx.progress.log(
      `  million: ${formatRate(window.deliveriesPerSecond)} deliveries/s (target ${formatRate(o.deliveries)}/s at ${formatRate(rate)} pub/s), ` +
        `p50 ${formatUs(window.deliveryLatency.p50)} p99 ${formatUs(window.deliveryLatency.p99)} p99.9 ${formatUs(window.deliveryLatency.p999)}, ` +
        `server CPU ${fmtPct(window.serverCpu)}, generator CPU ${fmtPct(window.generatorCpu)}, ${held} held, ${dropped} dropped` +
        (serverCore ? `; core ${serverCore.cpu} busy ${fmtPct(serverCore.busy)} (others ${fmtPct(serverCore.others)})` : ''),
      o.quiet,
    );
    if (dropped > 0) problems.push(`${dropped} connections dropped during the run`);
    if (window.apiErrors > 0) problems.push(`${window.apiErrors} API errors`);
    problems.push(...(await pool.problems()));
    return {
      generatorCpu: window.generatorCpu,
      connectGeneratorCpu: round3(connectGeneratorCpu),
      problems,
      data: {
        connections: n,
        serverProcesses: Math.max(1, o.serverPids.length),
        channels: o.channels,
        subscribersPerChannel: subscribersPerChannel(n, o.channels),
        memory,
        kernel,
        loadAverageAtStart,
        loadAverageAtEnd: loadAverage(),
        connectRateLimit: o.connectRate,
        ready: opened.ready,
        failed: opened.failed,
        pending: opened.pending,
        connectSeconds: round3(opened.seconds),
        connectRatePerSecond: Math.round(opened.ratePerSecond),
        connectServerCpu: round3(connectServerCpu),
        connectGeneratorCpu: round3(connectGeneratorCpu),
        held,
        dropped,
        serverRssBytes: after.rssBytes,
        serverHeapBytes: after.heapBytes,
        serverRssBytesPerConnection: per(after.rssBytes - before.rssBytes),
        serverHeapBytesPerConnection: ctx.probe.severalProcesses ? Number.NaN : per(after.heapBytes - before.heapBytes),
        generatorRssBytesPerConnection: per(genRssAfter - genRssBefore),
        sockstat,
        kernelTcpBytesPerConnection: per((sockstat.tcpMemPages - sockBefore.tcpMemPages) * 4096),
        kernelTcpPeakBytes: tcpPeakPages * 4096,
        kernelSlabBytesPerConnection: per(slabAfter - slabBefore),
        serverCore,
        targetDeliveriesPerSecond: o.deliveries,
        publishRate: round3(rate),
        window,
      },
    };
  } finally {
    publisher.stop();
    await pool.closeAll();
  }
}

function round3(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x;
}

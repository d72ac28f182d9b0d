import type { BenchResult } from './context.js';
import type { StepResult } from './load-step.js';
import { fmtPct } from './load-step.js';
import { formatRate, formatUs } from './progress.js';
import type { ApiData } from './scenarios/api.js';
import type { ChannelsData } from './scenarios/channels.js';
import type { CrossNodeData } from './scenarios/crossnode.js';
import type { FanoutData } from './scenarios/fanout.js';
import type { IdleData } from './scenarios/idle.js';
import type { LatencyData } from './scenarios/latency.js';
import type { MillionData } from './scenarios/million.js';
import type { StormData } from './scenarios/storm.js';
import type { ConnectProxyData } from './scenarios/connect-proxy.js';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function stepLine(s: StepResult | undefined): string {
  if (!s) return 'no step measured';
  return (
    `${formatRate(s.deliveriesPerSecond)} deliveries/s at ${formatRate(s.offeredRate)} pub/s, ` +
    `server CPU ${fmtPct(s.serverCpu)}, ${s.serverCpuUsPerDelivery} CPU-µs/delivery, p99 ${formatUs(s.deliveryLatency.p99)}` +
    (s.messagesPerWrite !== undefined ? `, ${s.messagesPerWrite} messages per socket write` : '') +
    (s.gc ? `, GC ${s.gc.pauses} pauses, ${s.gc.pauseMsPerSecond} ms/s${s.gc.p99PauseMsAtMost !== undefined ? `, p99 ≤ ${s.gc.p99PauseMsAtMost} ms` : ''}` : '')
  );
}

/** A few human-readable lines for one result. */
export function summarize(result: BenchResult): string {
  const lines = [`${result.scenario} on ${result.label}${result.clientBound ? ' — CLIENT-BOUND (generator CPU ' + fmtPct(result.generatorCpu) + ')' : ''}`];
  switch (result.scenario) {
    case 'idle': {
      const d = result.data as IdleData;
      lines.push(
        `  ${d.ready}/${d.connections} connections, connect rate ${formatRate(d.connectRatePerSecond)}/s (generator CPU ${fmtPct(d.connectGeneratorCpu)}), server ${d.connectServerCpuUs} CPU-µs per connect`,
        `  server RSS/conn ${kib(d.serverRssBytesPerConnection)}, heap/conn ${kib(d.serverHeapBytesPerConnection)}, kernel TCP/conn ${kib(d.kernelTcpBytesPerConnection)}`,
        `  idle CPU ${fmtPct(d.idleServerCpu)} of a core = ${d.idleCpuUsPerConnectionPerSecond} µs/s per connection (${d.pingsAnswered} pings in ${d.idleSeconds} s)`,
      );
      break;
    }
    case 'fanout': {
      const d = result.data as FanoutData;
      for (const level of d.levels) lines.push(`  ${level.subscribers} subscribers: ${stepLine(level.ceiling)}`);
      break;
    }
    case 'channels': {
      const d = result.data as ChannelsData;
      lines.push(`  ${d.channels} channels x ${d.perChannel}: ${stepLine(d.ceiling)}`);
      break;
    }
    case 'api': {
      const d = result.data as ApiData;
      for (const run of d.runs) {
        const c = run.ceiling;
        const calm = run.lastUnsaturated;
        lines.push(
          `  history ${run.history ? 'on ' : 'off'}: ${c ? formatRate(c.requestsPerSecond) : '?'} req/s max` +
            `${c ? `, ${c.serverCpuUsPerRequest} CPU-µs/req` : ''}` +
            (calm ? `; p99 ${formatUs(calm.apiLatency.p99)} at ${formatRate(calm.requestsPerSecond)} req/s` : ''),
        );
      }
      break;
    }
    case 'latency': {
      const d = result.data as LatencyData;
      const l = d.measured.deliveryLatency;
      lines.push(
        `  ${d.subscribers} subscribers at ${formatRate(d.rate)} pub/s${d.ceilingRate ? ` (ceiling ${formatRate(d.ceilingRate)} pub/s)` : ''}: ` +
          `p50 ${formatUs(l.p50)} p90 ${formatUs(l.p90)} p99 ${formatUs(l.p99)} p99.9 ${formatUs(l.p999)}`,
      );
      break;
    }
    case 'crossnode': {
      const d = result.data as CrossNodeData;
      const c = d.ceiling?.cluster;
      lines.push(
        `  ${d.shards} shard(s), history ${d.history ? 'on' : 'off'}, ${d.channels} channels x ${d.perChannel}: ${stepLine(d.ceiling)}`,
        c
          ? `  publisher node ${c.publisherCpuUsPerPublication} CPU-µs/pub, Redis ${c.redisCpuUsPerPublication} CPU-µs/pub and ` +
              `${c.redisCommandsPerPublication} commands/pub (Redis CPU ${fmtPct(c.redisCpu)})`
          : '  (no publisher/Redis probes given)',
      );
      break;
    }
    case 'connect-proxy': {
      const d = result.data as ConnectProxyData;
      lines.push(
        `  ${d.ready}/${d.connections} connected through the ${d.backend} connect proxy: ${formatRate(d.connectsPerSecond)}/s, ` +
          `setup p50 ${formatUs(d.setupLatency.p50)} p99 ${formatUs(d.setupLatency.p99)}`,
        `  server CPU ${fmtPct(d.serverCpu)} = ${d.serverCpuUsPerConnect} µs per connect; backend ${d.backendRequests} requests, ` +
          `CPU ${fmtPct(d.backendCpu)}; generator CPU ${fmtPct(d.connectGeneratorCpu)}`,
      );
      break;
    }
    case 'storm': {
      const d = result.data as StormData;
      lines.push(
        `  ${d.recovered}/${d.clients} back in ${d.secondsToAllResubscribed} s (${d.serverCpuUsPerReconnect} server CPU-µs each), ` +
          `${d.recovery.recovered} recovered with ${d.recovery.publications}/${d.expectedRecoveredPublications} publications, ` +
          `peak RSS ${(d.serverPeakRssBytes / 1048576).toFixed(0)} MiB (before ${(d.serverRssBeforeBytes / 1048576).toFixed(0)} MiB)`,
      );
      break;
    }
    case 'million':
      lines.push(...millionLines(result.data as MillionData));
      break;
  }
  for (const p of result.problems.slice(0, 5)) lines.push(`  ! ${p}`);
  return lines.join('\n');
}

/** The million scenario: connections held, memory per connection, the sustained window. */
function millionLines(d: MillionData): string[] {
  const w = d.window;
  const l = w.deliveryLatency;
  return [
    `  ${d.held}/${d.connections} connections held${(d.serverProcesses ?? 1) > 1 ? ` by ${d.serverProcesses} server processes` : ''} (${d.channels} channels x ${Math.round(d.subscribersPerChannel * 10) / 10}), ${d.failed} failed, ${d.pending} pending, ${d.dropped} dropped; ` +
      `ramp ${formatRate(d.connectRatePerSecond)}/s (limit ${formatRate(d.connectRateLimit)}/s), server CPU ${fmtPct(d.connectServerCpu)}`,
    `  server RSS ${(d.serverRssBytes / 1048576).toFixed(0)} MiB: ${kib(d.serverRssBytesPerConnection)}/conn, heap ${Number.isFinite(d.serverHeapBytesPerConnection) ? kib(d.serverHeapBytesPerConnection) : 'n/a '}/conn; ` +
      `generator ${kib(d.generatorRssBytesPerConnection)}/conn; kernel TCP buffers ${kib(d.kernelTcpBytesPerConnection)}/conn idle, ` +
      `${(d.kernelTcpPeakBytes / 1048576).toFixed(0)} MiB at most under load, slab ${kib(d.kernelSlabBytesPerConnection)}/conn`,
    `  ${formatRate(w.deliveriesPerSecond)} deliveries/s of ${formatRate(d.targetDeliveriesPerSecond)}/s (${formatRate(d.publishRate)} pub/s), ` +
      `p50 ${formatUs(l.p50)} p99 ${formatUs(l.p99)} p99.9 ${formatUs(l.p999)}; server CPU ${fmtPct(w.serverCpu)}, generator CPU ${fmtPct(w.generatorCpu)}` +
      (d.serverCore ? `; server core ${d.serverCore.cpu} busy ${fmtPct(d.serverCore.busy)}, other processes ${fmtPct(d.serverCore.others)}` : '') +
      (w.saturated ? ` — target not sustained: ${w.saturation}` : ''),
    `  load average ${d.loadAverageAtStart.join(' ')} at start, ${d.loadAverageAtEnd.join(' ')} at end` +
      (d.kernel.changed.length > 0 ? `; kernel changed: ${d.kernel.changed.map((c) => c.split(' (')[0]).join(', ')}` : ''),
  ];
}

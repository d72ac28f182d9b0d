import type { CrossNodeData } from '../scenarios/crossnode.js';
import type { FanoutData } from '../scenarios/fanout.js';
import type { LatencyData } from '../scenarios/latency.js';
import { collectMetrics, type Metric } from './metrics-table.js';
import type { SuiteReport } from './suite-types.js';

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 100_000) return `${(x / 1000).toFixed(0)}k`;
  if (a >= 10_000) return `${(x / 1000).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** Ringcast ÷ Centrifugo, written so that > 1 always means Ringcast is better. */
function advantage(m: Metric): string {
  const r = m.values.ringcast;
  const c = m.values.centrifugo;
  if (r === undefined || c === undefined || !Number.isFinite(r) || !Number.isFinite(c) || r === 0 || c === 0) return '–';
  const ratio = m.higherIsBetter ? r / c : c / r;
  return `${ratio.toFixed(2)}×`;
}

function cell(m: Metric, kind: 'ringcast' | 'centrifugo'): string {
  const v = fmt(m.values[kind]);
  const flag = m.flagged[kind];
  return flag ? `${v} ⚠︎ ${flag}` : v;
}

/** results.md: machine, versions, command, one comparison table, and per-step fan-out detail. */
export function markdownReport(report: SuiteReport, chartFile: string | undefined): string {
  const m = report.machine;
  const metrics = collectMetrics(report.runs);
  const withCentrifugo = report.runs.some((r) => r.kind === 'centrifugo');
  const lines: string[] = [
    '# Ringcast benchmark results',
    '',
    `Made by \`${report.command}\` on ${m.date}.`,
    '',
    '| | |',
    '|---|---|',
    `| machine | ${m.nproc} cores (nproc), ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel} |`,
    `| placement | ${report.placement} |`,
    `| load average at start | ${m.loadAverage.join(' ')} |`,
    `| Node.js | ${m.node} |`,
    `| Ringcast | ${m.ringcast} |`,
    `| Centrifugo | ${m.centrifugo ?? 'not run (set CENTRIFUGO_BIN)'} |`,
    '',
    'Both servers get the same JSON-protocol clients, the same configuration keys and the same load. ' +
      '"Client-bound" marks a run whose load generator used more than 70 % of its core (the figure may then ' +
      'show the generator, not the server); for ramp ceilings the note says how busy both were — with the ' +
      'server core at ~100 % the server was the limit all the same. "Other load" marks runs during which ' +
      'other processes on the machine used CPU (noisy neighbours).',
    '',
  ];
  if (chartFile) lines.push(`![fan-out and latency chart](${chartFile})`, '');
  lines.push(
    withCentrifugo ? '| metric | unit | Ringcast | Centrifugo | Ringcast advantage |' : '| metric | unit | Ringcast |',
    withCentrifugo ? '|---|---|---:|---:|---:|' : '|---|---|---:|',
  );
  for (const metric of metrics) {
    lines.push(
      withCentrifugo
        ? `| ${metric.name} | ${metric.unit} | ${cell(metric, 'ringcast')} | ${cell(metric, 'centrifugo')} | ${advantage(metric)} |`
        : `| ${metric.name} | ${metric.unit} | ${cell(metric, 'ringcast')} |`,
    );
  }
  if (withCentrifugo) lines.push('', '"Ringcast advantage" is > 1 when Ringcast is better (faster, or uses less).');
  const latencyRuns = report.runs.filter((r) => r.scenario === 'latency');
  if (latencyRuns.length > 0) {
    lines.push('', 'Latency runs (publications/s to one channel of 1000 subscribers; clients read at once, no read batching):');
    for (const r of latencyRuns) {
      const d = r.result.data as LatencyData;
      const what = r.variant === 'common' ? 'common rate: half the lower ceiling, capped at what one generator core reads unbatched' : 'half its own fan-out ceiling';
      lines.push(`- ${r.kind}: ${d.rate} pub/s (${what}), generator CPU ${(r.result.generatorCpu * 100).toFixed(0)} %`);
    }
  }
  lines.push(
    '',
    'Fan-out and channel ramps batch the subscribers\' reads every 10 ms (`--read-interval 10`) so that one ' +
      'generator core can absorb over a million deliveries per second; their latency columns include up to ' +
      '10 ms of that batching. The server\'s work is unchanged by it.',
  );
  const fanoutRuns = report.runs.filter((r) => r.scenario === 'fanout');
  if (fanoutRuns.length > 0) {
    lines.push('', '## Fan-out ramps', '', '| server | subscribers | offered pub/s | deliveries/s | server CPU | CPU-µs/delivery | p99 ms | generator CPU | saturated |', '|---|---:|---:|---:|---:|---:|---:|---:|---|');
  }
  for (const run of fanoutRuns) {
    const d = run.result.data as FanoutData;
    for (const level of d.levels) {
      for (const s of level.steps) {
        lines.push(
          `| ${run.kind} | ${level.subscribers} | ${fmt(s.offeredRate)} | ${fmt(s.deliveriesPerSecond)} | ${(s.serverCpu * 100).toFixed(0)} % | ` +
            `${fmt(s.serverCpuUsPerDelivery)} | ${fmt(s.deliveryLatency.p99 / 1000)} | ${(s.generatorCpu * 100).toFixed(0)} % | ${s.saturated ? s.saturation : ''} |`,
        );
      }
    }
  }
  const crossRuns = report.runs.filter((r) => r.scenario === 'crossnode');
  if (crossRuns.length > 0) {
    lines.push(
      '',
      '## Cross-node ramps',
      '',
      'Publisher API on node A, subscribers on node B (100 channels x 50, parallel `/api/batch` of 20 on 32 connections, ' +
        'one request in flight each), both nodes and the ' +
        "Redis shards pinned to the server core. CPU per delivery is node B's; per publication node A's and " +
        "all shards' together; commands are Redis `total_commands_processed` per acknowledged publication.",
      '',
      '| server | shards | history | offered pub/s | deliveries/s | node B CPU | µs/delivery (B) | µs/pub (A) | Redis CPU | Redis µs/pub | Redis cmds/pub | p99 ms | saturated |',
      '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const run of crossRuns) {
      const d = run.result.data as CrossNodeData;
      for (const s of d.steps) {
        const c = s.cluster;
        lines.push(
          `| ${run.kind} | ${d.shards} | ${d.history ? 'on' : 'off'} | ${fmt(s.offeredRate)} | ${fmt(s.deliveriesPerSecond)} | ${(s.serverCpu * 100).toFixed(0)} % | ` +
            `${fmt(s.serverCpuUsPerDelivery)} | ${fmt(c?.publisherCpuUsPerPublication)} | ${c ? (c.redisCpu * 100).toFixed(0) : '–'} % | ` +
            `${fmt(c?.redisCpuUsPerPublication)} | ${fmt(c?.redisCommandsPerPublication)} | ${fmt(s.deliveryLatency.p99 / 1000)} | ${s.saturated ? s.saturation : ''} |`,
        );
      }
    }
  }
  const problems = report.runs.filter((r) => r.result.problems.length > 0);
  if (problems.length > 0) {
    lines.push('', '## Problems seen', '');
    for (const r of problems) for (const p of r.result.problems.slice(0, 5)) lines.push(`- ${r.kind} ${r.scenario}: ${p}`);
  }
  lines.push('', '## Commands', '', 'Each scenario ran against a fresh server; the generator commands were:', '');
  for (const r of report.runs) lines.push(`- ${r.kind}: \`${r.result.command}\``);
  lines.push('', 'Raw results: `results.json` next to this file.', '');
  return lines.join('\n');
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sleep } from '../clock.js';
import type { BenchResult } from '../context.js';
import { parseBenchArgs, scenarioNames, type ScenarioName } from '../options.js';
import { runScenario } from '../run-bench.js';
import type { FanoutData } from '../scenarios/fanout.js';
import { summarize } from '../summary.js';
import { renderChart } from './chart.js';
import { awaitQuietMachine, machineBusySeconds, machineInfo } from './machine-info.js';
import { markdownReport } from './markdown-report.js';
import { readProcCpuSeconds } from '../server-probe.js';
import { launchServer, type ServerKind } from './server-launcher.js';
import type { SuiteReport, SuiteRun } from './suite-types.js';

export interface SuiteOptions {
  outDir: string;
  ringcastMain: string;
  ringcastVersion: string;
  centrifugoBin: string | undefined;
  scenarios: ScenarioName[];
  rounds: number;
  serverCpus: string | undefined;
  nice: number | undefined;
  /** Ringcast only: write a V8 CPU profile of the server per scenario into this directory. */
  cpuProfileDir: string | undefined;
  command: string;
  placement: string;
  /** Before each run, wait (at most quietMaxWaitMs) until other processes use less than this many cores. */
  quietThreshold: number;
  quietMaxWaitMs: number;
}

const secret = 'ringcast-bench-secret-0123456789abcdef0123456789';
const apiKey = 'ringcast-bench-api-key';
const historyNamespace = 'hist';

/** The quick set's options per scenario (a few minutes for both servers together). */
function scenarioArgs(scenario: ScenarioName, latencyRate: number | undefined): string[] {
  switch (scenario) {
    case 'idle':
      return ['--connections', '10000', '--idle-seconds', '26'];
    case 'fanout':
      return ['--subscribers', '100,1000,10000', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '50000', '--max-steps', '9', '--read-interval', '10'];
    case 'channels':
      return ['--channels', '1000', '--per-channel', '5', '--batch', '10', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '25000', '--max-steps', '8', '--read-interval', '10'];
    case 'api':
      return ['--history', 'both', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '10000', '--max-steps', '8'];
    case 'latency':
      return ['--latency-subscribers', '1000', '--duration', '10', '--step-seconds', '2', '--ramp-factor', '2', ...(latencyRate ? ['--rate', String(latencyRate)] : [])];
    case 'storm':
      return ['--connections', '5000'];
  }
}

/** Half the fan-out ceiling at 1000 subscribers (publications/s), from this server's fanout run. */
function halfCeilingRate(runs: readonly SuiteRun[], kind: ServerKind): number | undefined {
  const fanout = runs.filter((r) => r.kind === kind && r.scenario === 'fanout').at(-1);
  if (!fanout) return undefined;
  const level = (fanout.result.data as FanoutData).levels.find((l) => l.subscribers === 1000);
  const c = level?.ceiling;
  if (!c || c.deliveriesPerSecond <= 0) return undefined;
  return Math.max(1, Math.round(c.deliveriesPerSecond / 1000 / 2));
}

/**
 * Deliveries per second one generator core reads without batching on a 2-core loopback machine before it
 * passes 70 % busy (measured: about 7 µs of mostly kernel time per read with 1000 sockets).
 */
const unbatchedReadBudget = 60_000;

/**
 * The latency runs: each server at half its own ceiling, then all at one common rate: half the lowest
 * ceiling, capped so the generator reads everything at once without becoming the bottleneck.
 */
function latencyRate(runs: readonly SuiteRun[], kind: ServerKind, kinds: readonly ServerKind[], variant: string): number | undefined {
  if (variant === 'own') return halfCeilingRate(runs, kind);
  const rates = kinds.map((k) => halfCeilingRate(runs, k)).filter((r): r is number => r !== undefined);
  return Math.min(unbatchedReadBudget / 1000, ...rates);
}

async function runOne(
  o: SuiteOptions,
  kind: ServerKind,
  kinds: readonly ServerKind[],
  scenario: ScenarioName,
  variant: string,
  round: number,
  runs: SuiteRun[],
): Promise<SuiteRun> {
  const quiet = await awaitQuietMachine(o.quietThreshold, o.quietMaxWaitMs);
  if (quiet.waitedMs > 2500) {
    process.stderr.write(`(waited ${(quiet.waitedMs / 1000).toFixed(0)} s for other load to drop; now ${quiet.loadCores} cores)\n`);
  }
  const profiling = o.cpuProfileDir !== undefined && kind === 'ringcast';
  const server = await launchServer({
    kind,
    ringcastMain: o.ringcastMain,
    centrifugoBin: o.centrifugoBin,
    secret,
    apiKey,
    historyNamespace,
    cpus: o.serverCpus,
    nodeFlags: profiling ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`, `--cpu-prof-name=${scenario}${variant ? `-${variant}` : ''}.cpuprofile`] : [],
    nice: o.nice,
  });
  const args = [
    scenario,
    '--label', kind,
    '--url', server.wsUrl,
    '--api-url', server.apiUrl,
    '--metrics-url', server.metricsUrl,
    '--api-key', apiKey,
    '--token-secret', secret,
    '--server-pid', String(server.pid),
    '--history-namespace', historyNamespace,
    ...scenarioArgs(scenario, scenario === 'latency' ? latencyRate(runs, kind, kinds, variant) : undefined),
  ];
  const redacted = args.map((a, i) => (args[i - 1] === '--api-key' || args[i - 1] === '--token-secret' ? '***' : a));
  process.stderr.write(`\n== ${scenario}${variant ? ` (${variant})` : ''} on ${kind} (round ${round + 1})\n`);
  const busy0 = machineBusySeconds();
  const server0 = readProcCpuSeconds(server.pid);
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  let result: BenchResult;
  let foreign = 0;
  try {
    result = await runScenario(parseBenchArgs(args), ['ringcast', 'bench', ...redacted].join(' '));
  } finally {
    const wall = (performance.now() - t0) / 1000;
    const serverCpu = readProcCpuSeconds(server.pid) - server0;
    const gen = process.cpuUsage(gen0);
    foreign = Math.max(0, (machineBusySeconds() - busy0 - serverCpu - (gen.user + gen.system) / 1e6) / wall);
    await server.stop();
    await sleep(500);
  }
  process.stderr.write(summarize(result) + '\n');
  return { kind, round, scenario, variant, result, foreignLoadCores: Math.round(foreign * 100) / 100, foreignLoadBeforeCores: quiet.loadCores };
}

/** Runs every scenario against Ringcast (and Centrifugo when given), alternating A/B, and writes the report. */
export async function runSuite(o: SuiteOptions): Promise<number> {
  const kinds: ServerKind[] = o.centrifugoBin ? ['ringcast', 'centrifugo'] : ['ringcast'];
  const machine = machineInfo(o.ringcastVersion, o.centrifugoBin);
  const runs: SuiteRun[] = [];
  for (const scenario of o.scenarios) {
    const variants = scenario === 'latency' ? ['own', 'common'] : [''];
    for (const variant of variants) {
      for (let round = 0; round < o.rounds; round++) {
        const order = round % 2 === 0 ? kinds : [...kinds].reverse();
        for (const kind of order) runs.push(await runOne(o, kind, kinds, scenario, variant, round, runs));
      }
    }
  }
  const report: SuiteReport = { machine, command: o.command, placement: o.placement, runs };
  await writeReport(report, o.outDir);
  return 0;
}

/** Writes results.json, chart.svg (when Vega renders) and results.md into `outDir`. */
export async function writeReport(report: SuiteReport, outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  let chartFile: string | undefined;
  try {
    writeFileSync(join(outDir, 'chart.svg'), await renderChart(report));
    chartFile = 'chart.svg';
  } catch (err) {
    process.stderr.write(`chart not rendered: ${(err as Error).message}\n`);
  }
  writeFileSync(join(outDir, 'results.md'), markdownReport(report, chartFile));
  process.stderr.write(`\nresults: ${relative(process.cwd(), join(outDir, 'results.md'))}\n`);
}

/** Command-line form used by mk/bench.mk: `tsx bench/suite/main.ts [--out-dir D] [--scenarios a,b] …`. */
export function parseSuiteArgs(argv: readonly string[], env: { centrifugoBin: string | undefined }): Omit<SuiteOptions, 'ringcastVersion'> {
  const { values: v } = parseArgs({
    args: [...argv],
    options: {
      'out-dir': { type: 'string', default: 'test/bench/results' },
      'ringcast-main': { type: 'string', default: 'dist/node/cli/main.js' },
      scenarios: { type: 'string', default: scenarioNames.join(',') },
      rounds: { type: 'string', default: '1' },
      'server-cpus': { type: 'string', default: '0' },
      nice: { type: 'string' },
      'cpu-profile-dir': { type: 'string' },
      command: { type: 'string', default: 'make bench' },
      placement: { type: 'string' },
      'quiet-threshold': { type: 'string', default: '0.3' },
      'quiet-max-wait': { type: 'string', default: '120' },
    },
  });
  const scenarios = v.scenarios.split(',').map((s) => s.trim()) as ScenarioName[];
  for (const s of scenarios) if (!(scenarioNames as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}`);
  const nice = v.nice === undefined || v.nice === '' ? undefined : Number(v.nice);
  const serverCpus = v['server-cpus'] === '' ? undefined : v['server-cpus'];
  return {
    outDir: v['out-dir'],
    ringcastMain: resolve(v['ringcast-main']),
    centrifugoBin: env.centrifugoBin || undefined,
    scenarios,
    rounds: Math.max(1, Number(v.rounds) || 1),
    serverCpus,
    nice,
    cpuProfileDir: v['cpu-profile-dir'],
    command: v.command,
    quietThreshold: Number(v['quiet-threshold']) || 0.3,
    quietMaxWaitMs: (Number(v['quiet-max-wait']) || 0) * 1000,
    placement:
      v.placement ??
      `server pinned to CPU ${serverCpus ?? 'any'} (Centrifugo with GOMAXPROCS=1), generator on the other core${nice !== undefined ? `, both at nice ${nice}` : ''}`,
  };
}

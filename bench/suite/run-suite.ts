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
import { readProcCpuSeconds, readReapedChildrenCpuSeconds } from '../server-probe.js';
import { tuneKernel } from '../kernel-tuning.js';
import { publishRateFor } from '../million-plan.js';
import { launchCluster, launchSharedPortCluster } from './cluster-launcher.js';
import { freePort, launchServer, type LaunchOptions, type ServerKind } from './server-launcher.js';
import { benchProxyEndpoint, proxyBackendKinds, type ProxyBackendKind } from '../proxy-backend.js';
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
  /** crossnode variants to run ("<shards>-<on|off>"); all by default. */
  crossNodeVariants: string[];
  /** connect-proxy backends to run (http, grpc); both by default. */
  connectProxyBackends: ProxyBackendKind[];
  /** million: connections, and the sustained window in seconds. */
  millionConnections: number;
  millionChannels: number;
  millionDeliveries: number;
  millionSeconds: number;
  /**
   * million: Ringcast nodes sharing the server core and one port, joined through a Redis on the same core
   * (for more connections than one process's descriptor limit allows); 1 = one plain node.
   */
  millionProcesses: number;
  /** Ringcast only: `ringcast.client.write_delay` for its servers ("20ms"); Centrifugo has no such key. */
  writeDelay: string | undefined;
  /** The Go subscriber helper (test/bench/native-subscriber): idle and storm clients live there, so connect rates are the server's. */
  nativeSubscriber: string | undefined;
}

const secret = 'ringcast-bench-secret-0123456789abcdef0123456789';
const apiKey = 'ringcast-bench-api-key';
const historyNamespace = 'hist';

/** The quick set's options per scenario (a few minutes for both servers together). */
function scenarioArgs(scenario: ScenarioName, latencyRate: number | undefined, o: SuiteOptions): string[] {
  switch (scenario) {
    case 'idle':
      return ['--connections', '10000', '--idle-seconds', '26', ...native(o)];
    case 'fanout':
      return ['--subscribers', '100,1000,10000', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '50000', '--max-steps', '9', '--read-interval', '10'];
    case 'channels':
      return ['--channels', '1000', '--per-channel', '5', '--batch', '10', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '25000', '--max-steps', '8', '--read-interval', '10'];
    case 'api':
      return ['--history', 'both', '--step-seconds', '2', '--ramp-factor', '2', '--start-rate', '10000', '--max-steps', '8'];
    case 'latency':
      return ['--latency-subscribers', '1000', '--duration', '10', '--step-seconds', '2', '--ramp-factor', '2', ...(latencyRate ? ['--rate', String(latencyRate)] : [])];
    case 'storm':
      // 19,000 recoverable clients stay below one process's 20,000 descriptors (the generator's and the server's).
      return ['--connections', '19000', '--channels', '1000', '--missed', '2', ...native(o)];
    case 'crossnode':
      // One request in flight per API connection: uWS closes a connection whose pipelined request arrives
      // while an earlier response still waits for Redis.
      return ['--channels', '100', '--per-channel', '50', '--batch', '20', '--parallel-batch', '--api-connections', '32', '--api-window', '1', '--step-seconds', '3', '--ramp-factor', '1.6', '--start-rate', '50000', '--max-steps', '8', '--read-interval', '10'];
    case 'connect-proxy':
      return ['--connections', '5000'];
    case 'million': {
      // Below ~100k connections the target needs thousands of publications/s: batch them so the HTTP API's
      // per-request cost does not stand in for the fan-out being measured.
      const batch = publishRateFor(o.millionDeliveries, o.millionConnections, o.millionChannels) > 2000 ? 10 : 1;
      return [
        '--connections', String(o.millionConnections), '--channels', String(o.millionChannels), '--deliveries', String(o.millionDeliveries),
        '--duration', String(o.millionSeconds), '--batch', String(batch),
        // Each generator process stays well below a 20,000-descriptor limit.
        ...(o.millionConnections > 18_000 ? ['--workers', String(Math.ceil(o.millionConnections / 15_000))] : []),
        // Nodes on Redis: one request in flight per API connection (as crossnode), since uWS closes a connection
        // whose pipelined request arrives while an earlier response still waits for Redis.
        ...(o.millionProcesses > 1 ? ['--parallel-batch', '--api-connections', '32', '--api-window', '1'] : []),
      ];
    }
  }
}

function native(o: SuiteOptions): string[] {
  return o.nativeSubscriber ? ['--native-subscriber', o.nativeSubscriber] : [];
}

/** Old-space limit for a server holding `connections` (V8's default, ~4 GiB here, is short of a million). */
export function millionHeapMiB(connections: number): number {
  return Math.max(4096, Math.ceil((connections * 8 * 1024) / 2 ** 20));
}

/** crossnode runs once per shard count and history mode: variant "<shards>-<on|off>". */
export const crossNodeVariants = ['1-off', '2-off', '1-on', '2-on'];

/** The runs of a scenario: latency at two rates, crossnode per shard count and history, connect-proxy per backend. */
function scenarioVariants(scenario: ScenarioName, o: SuiteOptions): readonly string[] {
  switch (scenario) {
    case 'latency':
      return ['own', 'common'];
    case 'crossnode':
      return o.crossNodeVariants;
    case 'connect-proxy':
      return o.connectProxyBackends;
    default:
      return [''];
  }
}

/** What one run targets: a single server, or (crossnode) a publishing node, a subscriber node and shards. */
interface Target {
  pids: number[];
  args: string[];
  stop(): Promise<void>;
}

async function launchTarget(launch: LaunchOptions, scenario: ScenarioName, variant: string, millionProcesses: number): Promise<Target> {
  if (scenario === 'million' && millionProcesses > 1) {
    const cluster = await launchSharedPortCluster(launch, millionProcesses);
    const pids = cluster.nodes.map((n) => n.pid);
    return {
      pids: [...pids, cluster.redis.pid],
      args: ['--url', cluster.wsUrl, '--api-url', cluster.apiUrl, '--metrics-url', cluster.metricsUrl, '--server-pid', pids.join(',')],
      stop: () => cluster.stop(),
    };
  }
  if (scenario !== 'crossnode') {
    const server = await launchServer(launch);
    return {
      pids: [server.pid],
      args: ['--url', server.wsUrl, '--api-url', server.apiUrl, '--metrics-url', server.metricsUrl, '--server-pid', String(server.pid)],
      stop: () => server.stop(),
    };
  }
  const [shards, history] = variant.split('-');
  const cluster = await launchCluster(launch, Number(shards));
  const { publisher, subscriber, redis } = cluster;
  return {
    pids: [publisher.pid, subscriber.pid, ...redis.map((r) => r.pid)],
    args: [
      '--url', subscriber.wsUrl,
      '--api-url', publisher.apiUrl,
      '--metrics-url', subscriber.metricsUrl,
      '--server-pid', String(subscriber.pid),
      '--publisher-pid', String(publisher.pid),
      '--redis-pids', redis.map((r) => r.pid).join(','),
      '--redis-addresses', redis.map((r) => r.address).join(','),
      '--history', history === 'on' ? 'on' : 'off',
    ],
    stop: () => cluster.stop(),
  };
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
  // connect-proxy: the generator starts the backend on this port; the server is told where it is.
  const proxyBackendPort = scenario === 'connect-proxy' ? await freePort() : 0;
  // million: raise this process's descriptor limit (and, as root, the kernel's) before the server starts,
  // so the server inherits it; the scenario checks both again with the server's pid.
  if (scenario === 'million') {
    const tuning = tuneKernel(o.millionConnections, true, 500, []);
    for (const line of tuning.changed) process.stderr.write(`changed ${line}\n`);
  }
  const heapFlags =
    scenario === 'million' && kind === 'ringcast' ? [`--max-old-space-size=${millionHeapMiB(Math.ceil(o.millionConnections / o.millionProcesses))}`] : [];
  const target = await launchTarget(
    {
      kind,
      ringcastMain: o.ringcastMain,
      centrifugoBin: o.centrifugoBin,
      secret,
      apiKey,
      historyNamespace,
      cpus: o.serverCpus,
      nodeFlags: [...heapFlags, ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`, `--cpu-prof-name=${scenario}${variant ? `-${variant}` : ''}.cpuprofile`] : [])],
      nice: o.nice,
      connectProxyEndpoint: scenario === 'connect-proxy' ? benchProxyEndpoint(variant as ProxyBackendKind, proxyBackendPort) : undefined,
      writeDelay: o.writeDelay,
    },
    scenario,
    variant,
    o.millionProcesses,
  );
  const args = [
    scenario,
    '--label', kind,
    ...target.args,
    '--api-key', apiKey,
    '--token-secret', secret,
    '--history-namespace', historyNamespace,
    ...scenarioArgs(scenario, scenario === 'latency' ? latencyRate(runs, kind, kinds, variant) : undefined, o),
    ...(scenario === 'connect-proxy' ? ['--proxy-backend', variant, '--proxy-backend-port', String(proxyBackendPort)] : []),
  ];
  const redacted = args.map((a, i) => (args[i - 1] === '--api-key' || args[i - 1] === '--token-secret' ? '***' : a));
  process.stderr.write(`\n== ${scenario}${variant ? ` (${variant})` : ''} on ${kind} (round ${round + 1})\n`);
  const busy0 = machineBusySeconds();
  const serverCpuSeconds = (): number => target.pids.reduce((sum, pid) => sum + readProcCpuSeconds(pid), 0);
  const server0 = serverCpuSeconds();
  const gen0 = process.cpuUsage();
  // Generator worker processes have exited (and been waited for) by the end of the run: their CPU is the
  // generator's too, not other load.
  const workers0 = readReapedChildrenCpuSeconds();
  const t0 = performance.now();
  let result: BenchResult;
  let foreign = 0;
  try {
    result = await runScenario(parseBenchArgs(args), ['ringcast', 'bench', ...redacted].join(' '));
  } finally {
    try {
      const wall = (performance.now() - t0) / 1000;
      const serverCpu = serverCpuSeconds() - server0;
      const gen = process.cpuUsage(gen0);
      const workerCpu = readReapedChildrenCpuSeconds() - workers0;
      foreign = Math.max(0, (machineBusySeconds() - busy0 - serverCpu - (gen.user + gen.system) / 1e6 - workerCpu) / wall);
    } finally {
      // Stopped even when a server died mid-run (its /proc entry is gone), so nothing is left running.
      await target.stop();
      await sleep(500);
    }
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
    for (const variant of scenarioVariants(scenario, o)) {
      for (let round = 0; round < o.rounds; round++) {
        // Centrifugo cannot share a port between processes: several-process million runs are Ringcast's alone.
        const here = scenario === 'million' && o.millionProcesses > 1 ? kinds.filter((k) => k === 'ringcast') : kinds;
        if (here.length < kinds.length && round === 0) {
          process.stderr.write('million with several server processes: Ringcast only (Centrifugo does not bind with SO_REUSEPORT)\n');
        }
        const order = round % 2 === 0 ? here : [...here].reverse();
        for (const kind of order) runs.push(await runOne(o, kind, here, scenario, variant, round, runs));
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
      // million is its own target (make bench-million): too long and too big for the quick set.
      scenarios: { type: 'string', default: scenarioNames.filter((s) => s !== 'million').join(',') },
      rounds: { type: 'string', default: '1' },
      'server-cpus': { type: 'string', default: '0' },
      nice: { type: 'string' },
      'cpu-profile-dir': { type: 'string' },
      command: { type: 'string', default: 'make bench' },
      placement: { type: 'string' },
      'quiet-threshold': { type: 'string', default: '0.3' },
      'quiet-max-wait': { type: 'string', default: '120' },
      'crossnode-variants': { type: 'string', default: crossNodeVariants.join(',') },
      'connect-proxy-backends': { type: 'string', default: proxyBackendKinds.join(',') },
      'million-connections': { type: 'string', default: '1000000' },
      'million-seconds': { type: 'string', default: '60' },
      'million-channels': { type: 'string', default: '1000' },
      'million-deliveries': { type: 'string', default: '500000' },
      'write-delay': { type: 'string' },
      'native-subscriber': { type: 'string' },
      'million-processes': { type: 'string', default: '1' },
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
    millionConnections: Math.max(1, Math.floor(Number(v['million-connections'])) || 1_000_000),
    millionSeconds: Math.max(1, Number(v['million-seconds']) || 60),
    millionChannels: Math.max(1, Math.floor(Number(v['million-channels'])) || 1000),
    millionDeliveries: Math.max(1, Number(v['million-deliveries']) || 500_000),
    writeDelay: v['write-delay'] || undefined,
    nativeSubscriber: v['native-subscriber'] ? resolve(v['native-subscriber']) : undefined,
    millionProcesses: Math.max(1, Math.floor(Number(v['million-processes'])) || 1),
    crossNodeVariants: v['crossnode-variants'].split(',').map((s) => s.trim()).filter((s) => crossNodeVariants.includes(s)),
    connectProxyBackends: proxyBackendKinds.filter((k) => v['connect-proxy-backends'].split(',').map((s) => s.trim()).includes(k)),
    placement:
      v.placement ??
      `server pinned to CPU ${serverCpus ?? 'any'} (Centrifugo with GOMAXPROCS=1), generator on the other core${nice !== undefined ? `, both at nice ${nice}` : ''}` +
        (v['write-delay'] ? `; Ringcast with \`ringcast.client.write_delay: ${v['write-delay']}\`` : '') +
        (v['native-subscriber'] ? '; idle and storm clients in the Go helper (test/bench/native-subscriber)' : ''),
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createContext, type BenchContext, type BenchResult } from './context.js';
import { isClientBound } from './cpu-meter.js';
import { BenchUsageError, benchUsage, parseBenchArgs, type BenchOptions, type ScenarioName } from './options.js';
import { summarize } from './summary.js';
import { runApi } from './scenarios/api.js';
import { runChannels } from './scenarios/channels.js';
import { runCrossNode } from './scenarios/crossnode.js';
import { runFanout } from './scenarios/fanout.js';
import { runIdle } from './scenarios/idle.js';
import { runLatency } from './scenarios/latency.js';
import { runMillion } from './scenarios/million.js';
import type { ScenarioOutcome } from './scenarios/scenario.js';
import { runStorm } from './scenarios/storm.js';
import { runConnectProxy } from './scenarios/connect-proxy.js';

const scenarios: Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioOutcome<unknown>>> = {
  idle: runIdle,
  fanout: runFanout,
  channels: runChannels,
  api: runApi,
  latency: runLatency,
  storm: runStorm,
  crossnode: runCrossNode,
  'connect-proxy': runConnectProxy,
  million: runMillion,
};

/** Runs one scenario with parsed options and returns its result (no printing beyond progress lines). */
export async function runScenario(options: BenchOptions, command: string): Promise<BenchResult> {
  const ctx = createContext(options);
  const startedAt = new Date().toISOString();
  const outcome = await scenarios[options.scenario](ctx);
  ctx.progress.clear();
  return {
    scenario: options.scenario,
    label: options.label,
    startedAt,
    finishedAt: new Date().toISOString(),
    command,
    generatorCpu: Math.round(outcome.generatorCpu * 1000) / 1000,
    clientBound: isClientBound(outcome.generatorCpu),
    problems: outcome.problems,
    data: outcome.data,
  };
}

/**
 * `ringcast bench <scenario> [options]`: runs one load scenario against any Centrifugo-protocol server and
 * prints a summary (or JSON). Resolves with the exit code: 0 done, 1 the run failed, 2 bad usage.
 */
export async function runBench(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(benchUsage + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (err) {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`ringcast bench: ${err.message}\n\n${benchUsage}\n`);
      return 2;
    }
    throw err;
  }
  const command = ['ringcast', 'bench', ...argv.map(redactSecrets(argv))].join(' ');
  let result: BenchResult;
  try {
    result = await runScenario(options, command);
  } catch (err) {
    process.stderr.write(`ringcast bench ${options.scenario}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const json = JSON.stringify(result, null, 2);
  if (options.out) {
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, json + '\n');
  }
  if (options.json) process.stdout.write(json + '\n');
  else process.stdout.write(summarize(result) + '\n');
  return 0;
}

/** Replaces the values of secret-bearing flags so recorded commands never hold credentials. */
function redactSecrets(argv: readonly string[]): (arg: string, i: number) => string {
  return (arg, i) => {
    const prev = argv[i - 1];
    if (prev === '--api-key' || prev === '--token-secret') return '***';
    if (arg.startsWith('--api-key=') || arg.startsWith('--token-secret=')) return arg.slice(0, arg.indexOf('=') + 1) + '***';
    return arg;
  };
}

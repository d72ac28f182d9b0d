// `make bench` entry: runs the quick scenario set against Ringcast (and Centrifugo when CENTRIFUGO_BIN is set)
// and writes test/bench/results/{results.md,results.json,chart.svg}. Run it pinned to the generator's core.
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname } from 'node:path';
import { parseSuiteArgs, runSuite, writeReport } from './run-suite.js';
import type { SuiteReport } from './suite-types.js';

// `--render DIR/results.json` rewrites results.md and chart.svg from recorded results without running anything.
const renderAt = process.argv.indexOf('--render');
if (renderAt !== -1) {
  const file = process.argv[renderAt + 1] ?? 'test/bench/results/results.json';
  const report = JSON.parse(readFileSync(file, 'utf8')) as SuiteReport;
  await writeReport(report, dirname(file));
  process.exit(0);
}

const options = parseSuiteArgs(process.argv.slice(2), { centrifugoBin: process.env['CENTRIFUGO_BIN'] });
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string };
if (options.nice !== undefined) setPriority(options.nice);

runSuite({ ...options, ringcastVersion: pkg.version ?? '0.0.0' }).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(`bench suite: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

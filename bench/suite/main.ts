// `make bench` entry: runs the quick scenario set against Ringcast (and Centrifugo when CENTRIFUGO_BIN is set)
// and writes test/bench/results/{results.md,results.json,chart.svg}. Run it pinned to the generator's core.
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parseSuiteArgs, runSuite } from './run-suite.js';

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

#!/usr/bin/env node
import { startNode } from '../server/start-node.js';
import { runCli } from './run-cli.js';

// The `ringcast` command: argument handling lives in run-cli.ts; this file wires it to the process.
runCli(
  process.argv.slice(2),
  {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signals: process,
    exit: (code) => process.exit(code),
  },
  startNode,
).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ringcast: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);

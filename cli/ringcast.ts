#!/usr/bin/env node
// The `ringcast` command. It sits above node/ and operator/, which never import each other: `ringcast operator`
// loads the operator, every other command goes to the node's CLI; each side is loaded only when asked for, so the
// operator never loads the native WebSocket server and `serve` never loads the operator.
const argv = process.argv.slice(2);
const io = {
  env: process.env,
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  signals: process,
  exit: (code: number) => process.exit(code),
};

const run =
  argv[0] === 'operator'
    ? import('../operator/cli/run-operator.js').then(({ runOperator }) => runOperator(argv.slice(1), io))
    : Promise.all([import('../node/cli/run-cli.js'), import('../node/server/start-node.js')]).then(
        ([{ runCli }, { startNode }]) => runCli(argv, io, startNode),
      );

run.then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ringcast: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);

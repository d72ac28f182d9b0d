// `npx tsx bench/main.ts <scenario> [options]`: the load generator without the ringcast CLI around it.
import { runBench } from './run-bench.js';

runBench(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Sockets of a finished run may linger in TIME_WAIT handlers; the run is over, so leave now.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(`ringcast bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

// Holds N idle WebSocket connections (each connected with a token and subscribed to a personal channel) to a
// `ringcast serve` child process and prints the server's RSS and JS heap per connection. A thin wrapper over
// the bench harness's `idle` scenario (bench/scenarios/idle.ts); `make bench` runs the full set.
// Usage: npm run build && npx tsx test/bench/idle-connections.ts [--connections 10000] [--idle-seconds 5] [--json]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBenchArgs } from '../../bench/options.js';
import { runScenario } from '../../bench/run-bench.js';
import type { IdleData } from '../../bench/scenarios/idle.js';
import { launchServer } from '../../bench/suite/server-launcher.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    'idle-seconds': { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const secret = 'idle-bench-secret-0123456789abcdef0123';
const apiKey = 'idle';

async function main(): Promise<void> {
  const server = await launchServer({
    kind: 'ringcast',
    ringcastMain: resolve('dist/node/cli/main.js'),
    centrifugoBin: undefined,
    secret,
    apiKey,
    historyNamespace: 'hist',
    cpus: undefined,
    nodeFlags: [],
    nice: undefined,
  });
  try {
    const options = parseBenchArgs([
      'idle',
      '--label', 'ringcast',
      '--url', server.wsUrl,
      '--api-key', apiKey,
      '--token-secret', secret,
      '--server-pid', String(server.pid),
      '--connections', values.connections,
      '--idle-seconds', values['idle-seconds'],
      ...(values.json ? ['--quiet'] : []),
    ]);
    const result = await runScenario(options, `npx tsx test/bench/idle-connections.ts --connections ${values.connections}`);
    const d = result.data as IdleData;
    const summary = {
      connections: d.ready,
      connectRatePerSecond: d.connectRatePerSecond,
      rssBytesPerConnection: d.serverRssBytesPerConnection,
      heapBytesPerConnection: d.serverHeapBytesPerConnection,
      kernelTcpBytesPerConnection: d.kernelTcpBytesPerConnection,
      idleCpuUsPerConnectionPerSecond: d.idleCpuUsPerConnectionPerSecond,
      serverRssMiB: Math.round(d.serverRssBytes / 1048576),
    };
    if (values.json) console.log(JSON.stringify(summary));
    else {
      console.log(`idle connections:        ${summary.connections}`);
      console.log(`connect rate:            ${summary.connectRatePerSecond}/s`);
      console.log(`server RSS / connection: ${(summary.rssBytesPerConnection / 1024).toFixed(1)} KiB`);
      console.log(`JS heap / connection:    ${(summary.heapBytesPerConnection / 1024).toFixed(1)} KiB`);
      console.log(`idle CPU / connection:   ${summary.idleCpuUsPerConnectionPerSecond} µs/s`);
      console.log(`server RSS total:        ${summary.serverRssMiB} MiB`);
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

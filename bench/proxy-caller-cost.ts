// `node --import tsx bench/proxy-caller-cost.ts [http|grpc] [--calls N] [--concurrency C]` (`make bench-proxy-caller`):
// the CPU one proxy call costs the calling process, apart from everything else a connect does. Drives Ringcast's
// own HTTP and gRPC proxy callers against the connect-proxy scenario's backend (a process of its own that answers
// at once), so the figure is the caller's share of the connect-proxy scenario's server CPU per connect.
import { parseArgs } from 'node:util';
import { grpcChannelSecurity } from '../src/grpc/grpc-tls.js';
import { GrpcProxyCaller } from '../src/proxy/grpc-proxy-caller.js';
import { HttpProxyCaller } from '../src/proxy/http-proxy-caller.js';
import type { ProxyCaller } from '../src/proxy/proxy-caller.js';
import type { ProxyRequest } from '../src/proxy/proxy-request.js';
import { startBenchProxyBackend, type ProxyBackendKind } from './proxy-backend.js';

interface CallerCost {
  kind: ProxyBackendKind;
  calls: number;
  callsPerSecond: number;
  /** Caller process CPU (user + system) per call, µs. */
  cpuUsPerCall: number;
}

const connectRequest: ProxyRequest = { client: 'bench-client', transport: 'websocket', protocol: 'json', encoding: 'json', name: 'bench' };
const callOptions = { headers: {}, payloadsAreJson: true };

function callerFor(kind: ProxyBackendKind, endpoint: string): ProxyCaller {
  const common = { endpoint, timeoutMs: 5000, maxResponseSize: 4 * 2 ** 20 };
  if (kind === 'http') return new HttpProxyCaller({ ...common, staticHeaders: {}, statusTransforms: [], tls: undefined });
  const plaintext = { enabled: false, cert_pem: '', key_pem: '', server_ca_pem: '', server_name: '', insecure_skip_verify: false };
  return new GrpcProxyCaller({
    ...common,
    security: grpcChannelSecurity(plaintext, 'bench'),
    staticMetadata: {},
    credentials: null,
    compression: false,
  });
}

/** `calls` connect calls, `concurrency` in flight, after a warm-up that opens the caller's connections. */
async function measure(kind: ProxyBackendKind, calls: number, concurrency: number): Promise<CallerCost> {
  const backend = await startBenchProxyBackend(kind, 0);
  const caller = callerFor(kind, backend.endpoint);
  try {
    const run = async (n: number): Promise<void> => {
      let started = 0;
      const lane = async (): Promise<void> => {
        while (started++ < n) await caller.call('connect', connectRequest, callOptions);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
    };
    await run(Math.min(2000, calls));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(calls);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      kind,
      calls,
      callsPerSecond: Math.round(calls / seconds),
      cpuUsPerCall: Math.round(((cpu.user + cpu.system) / calls) * 10) / 10,
    };
  } finally {
    caller.close();
    await backend.stop();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { calls: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '200' } },
});
const kinds = (positionals.length > 0 ? positionals : ['http', 'grpc']) as ProxyBackendKind[];
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
if (kinds.some((k) => k !== 'http' && k !== 'grpc') || !(calls > 0) || !(concurrency > 0)) {
  process.stderr.write('usage: proxy-caller-cost.ts [http|grpc]... [--calls N] [--concurrency C]\n');
  process.exit(2);
}
for (const kind of kinds) {
  const cost = await measure(kind, calls, concurrency);
  process.stdout.write(
    `${kind.padEnd(4)} proxy caller: ${cost.cpuUsPerCall} CPU-µs per call, ${cost.callsPerSecond} calls/s (${cost.calls} calls, ${concurrency} in flight)\n`,
  );
}

import { parseArgs } from 'node:util';
import type { AuthMode } from './tokens.js';

export const scenarioNames = ['idle', 'fanout', 'channels', 'api', 'latency', 'storm', 'crossnode', 'connect-proxy', 'million'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** Everything a scenario run is told, already validated. */
export interface BenchOptions {
  scenario: ScenarioName;
  /** Names the target in results (e.g. `ringcast`, `centrifugo`). */
  label: string;
  wsUrl: string;
  apiUrl: string;
  apiKey: string;
  auth: AuthMode;
  /** The server's pid on this machine, for CPU and memory from /proc (crossnode: the subscribers' node). */
  serverPid: number | undefined;
  /**
   * Every server process behind the target (`--server-pid 1,2,3`: several nodes sharing one port); CPU and RSS
   * are their sums. `serverPid` is the first.
   */
  serverPids: number[];
  /** crossnode: the publishing node's pid (the one behind --api-url), for its CPU. */
  publisherPid: number | undefined;
  /** crossnode: the Redis shards' pids (CPU) and addresses host:port (commands processed, from INFO). */
  redisPids: number[];
  redisAddresses: string[];
  metricsUrl: string | undefined;
  /** idle, storm and million: clients (million: 1,000,000 unless given, the others 10,000). */
  connections: number;
  /** million: connections opened per second at most while ramping. */
  connectRate: number;
  /** million: deliveries per second to sustain (the publish rate follows from connections and channels). */
  deliveries: number;
  /** fanout: subscriber counts of the one channel, measured in this order. */
  subscribers: number[];
  /** channels: number of channels and subscribers per channel; storm: channels the clients spread over. */
  channels: number;
  /** storm: publications each channel gets while its clients are away (they recover them). */
  missed: number;
  perChannel: number;
  /** latency: subscribers of the one channel. */
  latencySubscribers: number;
  /** Fixed publish rate (publications/s); latency measures at this rate instead of half the ceiling. */
  rate: number | undefined;
  /** Seconds measured per ramp step (after a short warm-up). */
  stepSeconds: number;
  maxSteps: number;
  rampFactor: number;
  /** First ramp step: deliveries/s for fanout and channels, requests/s for api. */
  startRate: number;
  /** Seconds measured by the latency scenario (10) and the million scenario's sustained window (60). */
  durationSeconds: number;
  /** Seconds the idle scenario holds the connections to measure idle CPU (covers one ping interval). */
  idleSeconds: number;
  payloadBytes: number;
  /** Publications per API request (`batch` when > 1). */
  batch: number;
  /** `--parallel-batch`: batches run their publications in parallel. */
  parallelBatch: boolean;
  apiConnections: number;
  apiWindow: number;
  history: 'on' | 'off' | 'both';
  /** Namespace whose channels keep history (the server must configure it). */
  historyNamespace: string;
  channelPrefix: string;
  concurrency: number;
  connectTimeoutSeconds: number;
  spreadSources: boolean;
  /** The native subscriber helper binary; subscribers of fanout, channels and latency then live there. */
  nativeSubscriber: string | undefined;
  /** fanout, channels, latency: subscriber worker processes (1 = in this process). */
  workers: number;
  /** fanout and channels: batch subscriber reads every N ms (lowers generator CPU; adds up to N ms latency). */
  readIntervalMs: number;
  /** connect-proxy: the backend the generator runs (HTTP or gRPC) and its port (0: any free one). */
  proxyBackend: 'http' | 'grpc';
  proxyBackendPort: number;
  out: string | undefined;
  json: boolean;
  quiet: boolean;
}

export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

export const benchUsage = `Usage: ringcast bench <scenario> [options]
Scenarios: ${scenarioNames.join(', ')}
  idle      N clients, each subscribed to a personal channel: server memory, kernel socket memory and
            idle CPU per connection, connect rate
  fanout    one channel with 100…10k subscribers: deliveries/s at saturation, server CPU-µs per delivery
  channels  many small channels (--channels x --per-channel): deliveries/s, CPU-µs per delivery
  api       HTTP publish requests/s and latency, with and without history
  latency   fixed publish rate at half the measured ceiling (or --rate): p50/p90/p99/p99.9
  storm     N clients over --channels history channels (--history-namespace); all dropped at once, --missed
            publications per channel while away, then all reconnect and recover: time until all are back
            with every missed publication, peak memory
  crossnode publisher on one node (--api-url), subscribers on another (--url), channels as in "channels":
            deliveries/s, node CPU per delivery, Redis CPU and commands per publication (--history on|off)
  connect-proxy  N clients connect without a token through the server's connect proxy, answered at once by a
            backend the generator starts (--proxy-backend http|grpc, --proxy-backend-port P; configure the server's
            client.proxy.connect.endpoint as http://127.0.0.1:P/connect or grpc://127.0.0.1:P): connects/s
  million   --connections (1,000,000) clients with JWTs over --channels (1000), ramped at --connect-rate,
            then --deliveries/s (500,000) for --duration (60 s): memory per connection, latency, CPU; checks
            and (as root) raises kernel limits first, refuses when MemAvailable cannot hold the run
Target:
  --url ws://127.0.0.1:8000/connection/websocket   --api-url http://127.0.0.1:8000/api (derived from --url)
  --api-key K   --token-secret S | --insecure   --server-pid PID   --metrics-url URL (derived from --url)
  --label NAME (names the target in results)
  crossnode: --publisher-pid PID  --redis-pids P1,P2  --redis-addresses 127.0.0.1:6379,…
Load:
  --connections N (10000; million 1000000)  --connect-rate R (million: 5000)  --deliveries D (million: 500000)
  --subscribers 100,1000,10000  --channels 1000 --per-channel 5  --missed 2
  --latency-subscribers 1000  --rate R  --step-seconds 3  --max-steps 10  --ramp-factor 1.6
  --start-rate R  --duration 10 (million 60)  --idle-seconds 26  --payload-bytes 128  --batch 1
  --parallel-batch  --api-connections 8  --api-window 64  --history on|off|both  --history-namespace h
  --channel-prefix bench  --concurrency 500  --connect-timeout 60  --no-spread-sources
  --read-interval MS (fanout/channels: batch subscriber reads; less generator CPU, up to MS more latency)
  --workers N (subscribers of fanout/channels/latency in N worker processes; for machines with free cores)
  --native-subscriber BIN (clients of idle/storm/fanout/channels/latency in the Go helper, test/bench/native-subscriber)
Output: --out FILE (JSON)  --json (JSON on stdout)  --quiet`;

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchUsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`--${name} must be a positive number, got "${value}"`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'api-url': { type: 'string' },
        'api-key': { type: 'string' },
        'token-secret': { type: 'string' },
        insecure: { type: 'boolean' },
        'server-pid': { type: 'string' },
        'publisher-pid': { type: 'string' },
        'redis-pids': { type: 'string' },
        'redis-addresses': { type: 'string' },
        'metrics-url': { type: 'string' },
        label: { type: 'string' },
        connections: { type: 'string' },
        'connect-rate': { type: 'string' },
        deliveries: { type: 'string' },
        subscribers: { type: 'string' },
        channels: { type: 'string' },
        'per-channel': { type: 'string' },
        'latency-subscribers': { type: 'string' },
        rate: { type: 'string' },
        'step-seconds': { type: 'string' },
        'max-steps': { type: 'string' },
        'ramp-factor': { type: 'string' },
        'start-rate': { type: 'string' },
        duration: { type: 'string' },
        'idle-seconds': { type: 'string' },
        'payload-bytes': { type: 'string' },
        batch: { type: 'string' },
        'parallel-batch': { type: 'boolean' },
        'api-connections': { type: 'string' },
        'api-window': { type: 'string' },
        history: { type: 'string' },
        'history-namespace': { type: 'string' },
        'channel-prefix': { type: 'string' },
        concurrency: { type: 'string' },
        'connect-timeout': { type: 'string' },
        'no-spread-sources': { type: 'boolean' },
        'native-subscriber': { type: 'string' },
        workers: { type: 'string' },
        'read-interval': { type: 'string' },
        missed: { type: 'string' },
        'proxy-backend': { type: 'string' },
        'proxy-backend-port': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    });
  } catch (cause) {
    throw new BenchUsageError((cause as Error).message, { cause });
  }
  const { values: v, positionals } = parsed;
  const scenario = positionals[0];
  if (!scenario) throw new BenchUsageError('name a scenario');
  if (!(scenarioNames as readonly string[]).includes(scenario)) {
    throw new BenchUsageError(`unknown scenario "${scenario}"; choose one of ${scenarioNames.join(', ')}`);
  }
  if (positionals.length > 1) throw new BenchUsageError(`unexpected argument "${positionals[1]}"`);
  const wsUrl = v.url ?? 'ws://127.0.0.1:8000/connection/websocket';
  const base = deriveHttpBase(wsUrl);
  if (v.insecure && v['token-secret']) throw new BenchUsageError('use either --token-secret or --insecure, not both');
  if (!v.insecure && !v['token-secret']) {
    throw new BenchUsageError('clients need --token-secret (the server\'s client.token.hmac_secret_key) or --insecure');
  }
  const auth: AuthMode = v.insecure ? { kind: 'insecure' } : { kind: 'token', secret: v['token-secret']! };
  const history = v.history ?? 'both';
  if (history !== 'on' && history !== 'off' && history !== 'both') {
    throw new BenchUsageError(`--history must be on, off or both, got "${history}"`);
  }
  const subscribers = (v.subscribers ?? '100,1000,10000').split(',').map((s) => positiveInt('subscribers', s.trim(), 0));
  const proxyBackend = v['proxy-backend'] ?? 'http';
  if (proxyBackend !== 'http' && proxyBackend !== 'grpc') {
    throw new BenchUsageError(`--proxy-backend must be http or grpc, got "${proxyBackend}"`);
  }
  const million = scenario === 'million';
  const ramp = positiveNumber('ramp-factor', v['ramp-factor'], 1.6);
  if (ramp <= 1) throw new BenchUsageError('--ramp-factor must be above 1');
  return {
    scenario: scenario as ScenarioName,
    label: v.label ?? 'target',
    wsUrl,
    apiUrl: v['api-url'] ?? `${base}/api`,
    apiKey: v['api-key'] ?? '',
    auth,
    serverPid: listOf(v['server-pid']).map((p) => positiveInt('server-pid', p, 0))[0],
    serverPids: listOf(v['server-pid']).map((p) => positiveInt('server-pid', p, 0)),
    publisherPid: v['publisher-pid'] === undefined ? undefined : positiveInt('publisher-pid', v['publisher-pid'], 0),
    redisPids: listOf(v['redis-pids']).map((p) => positiveInt('redis-pids', p, 0)),
    redisAddresses: listOf(v['redis-addresses']),
    metricsUrl: v['metrics-url'] ?? `${base}/metrics`,
    connections: positiveInt('connections', v.connections, million ? 1_000_000 : 10_000),
    connectRate: positiveNumber('connect-rate', v['connect-rate'], 5000),
    deliveries: positiveNumber('deliveries', v.deliveries, 500_000),
    subscribers,
    channels: positiveInt('channels', v.channels, 1000),
    perChannel: positiveInt('per-channel', v['per-channel'], 5),
    missed: positiveInt('missed', v.missed, 2, 0),
    latencySubscribers: positiveInt('latency-subscribers', v['latency-subscribers'], 1000),
    rate: v.rate === undefined ? undefined : positiveNumber('rate', v.rate, 1),
    stepSeconds: positiveNumber('step-seconds', v['step-seconds'], 3),
    maxSteps: positiveInt('max-steps', v['max-steps'], 10),
    rampFactor: ramp,
    startRate: positiveNumber('start-rate', v['start-rate'], 20_000),
    durationSeconds: positiveNumber('duration', v.duration, million ? 60 : 10),
    idleSeconds: positiveNumber('idle-seconds', v['idle-seconds'], 26),
    payloadBytes: positiveInt('payload-bytes', v['payload-bytes'], 128),
    batch: positiveInt('batch', v.batch, 1),
    parallelBatch: v['parallel-batch'] ?? false,
    apiConnections: positiveInt('api-connections', v['api-connections'], 8),
    apiWindow: positiveInt('api-window', v['api-window'], 64),
    history,
    historyNamespace: v['history-namespace'] ?? 'hist',
    channelPrefix: v['channel-prefix'] ?? 'bench',
    concurrency: positiveInt('concurrency', v.concurrency, 500),
    connectTimeoutSeconds: positiveNumber('connect-timeout', v['connect-timeout'], 60),
    spreadSources: !v['no-spread-sources'],
    nativeSubscriber: v['native-subscriber'],
    workers: positiveInt('workers', v.workers, 1),
    readIntervalMs: v['read-interval'] === undefined ? 0 : positiveInt('read-interval', v['read-interval'], 0, 0),
    proxyBackend,
    proxyBackendPort: v['proxy-backend-port'] === undefined ? 0 : positiveInt('proxy-backend-port', v['proxy-backend-port'], 0, 0),
    out: v.out,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
  };
}

function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `ws://host:port/…` → `http://host:port`. */
export function deriveHttpBase(wsUrl: string): string {
  try {
    const u = new URL(wsUrl);
    return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
  } catch (cause) {
    throw new BenchUsageError(`--url ${wsUrl} is not a URL`, { cause });
  }
}

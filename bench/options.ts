import { parseArgs } from 'node:util';
import type { AuthMode } from './tokens.js';

export const scenarioNames = ['idle', 'fanout', 'channels', 'api', 'latency', 'storm'] as const;
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
  /** The server's pid on this machine, for CPU and memory from /proc. */
  serverPid: number | undefined;
  metricsUrl: string | undefined;
  /** idle and storm: clients. */
  connections: number;
  /** fanout: subscriber counts of the one channel, measured in this order. */
  subscribers: number[];
  /** channels: number of channels and subscribers per channel. */
  channels: number;
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
  /** Seconds measured by the latency scenario. */
  durationSeconds: number;
  /** Seconds the idle scenario holds the connections to measure idle CPU (covers one ping interval). */
  idleSeconds: number;
  payloadBytes: number;
  /** Publications per API request (`batch` when > 1). */
  batch: number;
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
  storm     drop N clients at once and reconnect them: time until all resubscribed, peak memory
Target:
  --url ws://127.0.0.1:8000/connection/websocket   --api-url http://127.0.0.1:8000/api (derived from --url)
  --api-key K   --token-secret S | --insecure   --server-pid PID   --metrics-url URL (derived from --url)
  --label NAME (names the target in results)
Load:
  --connections N (10000)  --subscribers 100,1000,10000  --channels 1000 --per-channel 5
  --latency-subscribers 1000  --rate R  --step-seconds 3  --max-steps 10  --ramp-factor 1.6
  --start-rate R  --duration 10  --idle-seconds 26  --payload-bytes 128  --batch 1
  --api-connections 8  --api-window 64  --history on|off|both  --history-namespace h
  --channel-prefix bench  --concurrency 500  --connect-timeout 60  --no-spread-sources
  --read-interval MS (fanout/channels: batch subscriber reads; less generator CPU, up to MS more latency)
  --workers N (subscribers of fanout/channels/latency in N worker processes; for machines with free cores)
  --native-subscriber BIN (subscribers of fanout/channels/latency in the Go helper, test/bench/native-subscriber)
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
        'metrics-url': { type: 'string' },
        label: { type: 'string' },
        connections: { type: 'string' },
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
  const ramp = positiveNumber('ramp-factor', v['ramp-factor'], 1.6);
  if (ramp <= 1) throw new BenchUsageError('--ramp-factor must be above 1');
  return {
    scenario: scenario as ScenarioName,
    label: v.label ?? 'target',
    wsUrl,
    apiUrl: v['api-url'] ?? `${base}/api`,
    apiKey: v['api-key'] ?? '',
    auth,
    serverPid: v['server-pid'] === undefined ? undefined : positiveInt('server-pid', v['server-pid'], 0),
    metricsUrl: v['metrics-url'] ?? `${base}/metrics`,
    connections: positiveInt('connections', v.connections, 10_000),
    subscribers,
    channels: positiveInt('channels', v.channels, 1000),
    perChannel: positiveInt('per-channel', v['per-channel'], 5),
    latencySubscribers: positiveInt('latency-subscribers', v['latency-subscribers'], 1000),
    rate: v.rate === undefined ? undefined : positiveNumber('rate', v.rate, 1),
    stepSeconds: positiveNumber('step-seconds', v['step-seconds'], 3),
    maxSteps: positiveInt('max-steps', v['max-steps'], 10),
    rampFactor: ramp,
    startRate: positiveNumber('start-rate', v['start-rate'], 20_000),
    durationSeconds: positiveNumber('duration', v.duration, 10),
    idleSeconds: positiveNumber('idle-seconds', v['idle-seconds'], 26),
    payloadBytes: positiveInt('payload-bytes', v['payload-bytes'], 128),
    batch: positiveInt('batch', v.batch, 1),
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
    out: v.out,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
  };
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

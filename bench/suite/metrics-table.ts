import type { StepResult } from '../load-step.js';
import type { ApiData } from '../scenarios/api.js';
import type { ChannelsData } from '../scenarios/channels.js';
import type { CrossNodeData } from '../scenarios/crossnode.js';
import type { FanoutData } from '../scenarios/fanout.js';
import type { IdleData } from '../scenarios/idle.js';
import type { LatencyData } from '../scenarios/latency.js';
import type { MillionData } from '../scenarios/million.js';
import type { StormData } from '../scenarios/storm.js';
import type { ConnectProxyData } from '../scenarios/connect-proxy.js';
import type { ServerKind } from './server-launcher.js';
import type { SuiteRun } from './suite-types.js';

/** One comparable figure: its name, unit, whether higher is better, and each server's value. */
export interface Metric {
  group: string;
  name: string;
  unit: string;
  higherIsBetter: boolean;
  values: Partial<Record<ServerKind, number>>;
  /** Servers whose value came from a client-bound or noisy run. */
  flagged: Partial<Record<ServerKind, string>>;
}

/** One figure of one run; `clientBound` overrides the run's flag when the figure comes from one ramp step. */
type Extract = (run: SuiteRun) => { name: string; unit: string; higherIsBetter: boolean; value: number; clientBound?: boolean; note?: string }[];

/** For a client-bound ramp step: how busy generator and server were, so a reader can tell who limited. */
function busyNote(step: StepResult | undefined): string | undefined {
  if (!step || !step.clientBound) return undefined;
  const server = Number.isFinite(step.serverCpu) ? `, server core ${(step.serverCpu * 100).toFixed(0)} %` : '';
  return `client-bound: generator ${(step.generatorCpu * 100).toFixed(0)} %${server}`;
}

/** A connect rate the generator's core limited (above 70 % busy) is marked like any client-bound figure. */
function connectBound(d: IdleData): { clientBound?: boolean; note?: string } {
  if (!(d.connectGeneratorCpu > 0.7)) return {};
  return { clientBound: true, note: `client-bound: generator ${(d.connectGeneratorCpu * 100).toFixed(0)} % while connecting` };
}

const extractors: Record<string, Extract> = {
  idle: (run) => {
    const d = run.result.data as IdleData;
    return [
      { name: 'server RSS per idle connection', unit: 'KiB', higherIsBetter: false, value: d.serverRssBytesPerConnection / 1024 },
      { name: 'heap per idle connection', unit: 'KiB', higherIsBetter: false, value: d.serverHeapBytesPerConnection / 1024 },
      { name: 'kernel TCP buffers per connection', unit: 'KiB', higherIsBetter: false, value: d.kernelTcpBytesPerConnection / 1024 },
      { name: 'idle CPU per connection', unit: 'µs/s', higherIsBetter: false, value: d.idleCpuUsPerConnectionPerSecond },
      { name: 'connect+subscribe rate', unit: '/s', higherIsBetter: true, value: d.connectRatePerSecond, ...connectBound(d) },
      { name: 'server CPU per connect+subscribe', unit: 'µs', higherIsBetter: false, value: d.connectServerCpuUs ?? Number.NaN },
    ];
  },
  fanout: (run) => {
    const d = run.result.data as FanoutData;
    return d.levels.flatMap((l) => {
      const clientBound = l.ceiling?.clientBound ?? false;
      const note = busyNote(l.ceiling);
      return [
        { name: `fan-out ${l.subscribers} subs: deliveries/s at saturation`, unit: '/s', higherIsBetter: true, value: l.ceiling?.deliveriesPerSecond ?? Number.NaN, clientBound, note },
        { name: `fan-out ${l.subscribers} subs: server CPU per delivery`, unit: 'µs', higherIsBetter: false, value: l.ceiling?.serverCpuUsPerDelivery ?? Number.NaN, clientBound, note },
      ];
    });
  },
  channels: (run) => {
    const d = run.result.data as ChannelsData;
    const label = `${d.channels} channels x ${d.perChannel}`;
    return [
      { name: `${label}: deliveries/s at saturation`, unit: '/s', higherIsBetter: true, value: d.ceiling?.deliveriesPerSecond ?? Number.NaN },
      { name: `${label}: server CPU per delivery`, unit: 'µs', higherIsBetter: false, value: d.ceiling?.serverCpuUsPerDelivery ?? Number.NaN },
      // Ringcast's write counter; Centrifugo exposes none (its cell stays empty).
      { name: `${label}: messages per socket write`, unit: '', higherIsBetter: true, value: d.ceiling?.messagesPerWrite ?? Number.NaN },
    ];
  },
  api: (run) => {
    const d = run.result.data as ApiData;
    return d.runs.flatMap((r) => {
      const h = r.history ? 'history on' : 'history off';
      const clientBound = r.ceiling?.clientBound ?? false;
      const note = busyNote(r.ceiling);
      return [
        { name: `HTTP publish, ${h}: requests/s`, unit: '/s', higherIsBetter: true, value: r.ceiling?.requestsPerSecond ?? Number.NaN, clientBound, note },
        { name: `HTTP publish, ${h}: server CPU per request`, unit: 'µs', higherIsBetter: false, value: r.ceiling?.serverCpuUsPerRequest ?? Number.NaN, clientBound, note },
      ];
    });
  },
  latency: (run) => {
    const d = run.result.data as LatencyData;
    const l = d.measured.deliveryLatency;
    const at = `${d.subscribers} subs at ${d.rate} pub/s`;
    return [
      { name: `delivery latency p50 (${at})`, unit: 'ms', higherIsBetter: false, value: l.p50 / 1000 },
      { name: `delivery latency p90 (${at})`, unit: 'ms', higherIsBetter: false, value: l.p90 / 1000 },
      { name: `delivery latency p99 (${at})`, unit: 'ms', higherIsBetter: false, value: l.p99 / 1000 },
      { name: `delivery latency p99.9 (${at})`, unit: 'ms', higherIsBetter: false, value: l.p999 / 1000 },
      // GC during the same window: pause time per second (both servers), and Node's p99 bucket bound.
      { name: `GC pause time per second (${at})`, unit: 'ms', higherIsBetter: false, value: d.measured.gc?.pauseMsPerSecond ?? Number.NaN },
      { name: `GC pause p99, at most (${at})`, unit: 'ms', higherIsBetter: false, value: d.measured.gc?.p99PauseMsAtMost ?? Number.NaN },
    ];
  },
  crossnode: (run) => {
    const d = run.result.data as CrossNodeData;
    const at = `cross-node, ${d.shards} shard${d.shards === 1 ? '' : 's'}, history ${d.history ? 'on' : 'off'}`;
    const c = d.ceiling;
    const clientBound = c?.clientBound ?? false;
    const note = busyNote(c);
    const perPublication = c && c.publishedPerSecond > 0 ? c.deliveriesPerSecond / c.publishedPerSecond : Number.NaN;
    const bothNodes = c?.cluster ? c.serverCpuUsPerDelivery + c.cluster.publisherCpuUsPerPublication / perPublication : Number.NaN;
    return [
      { name: `${at}: deliveries/s at saturation`, unit: '/s', higherIsBetter: true, value: c?.deliveriesPerSecond ?? Number.NaN, clientBound, note },
      { name: `${at}: subscriber node CPU per delivery`, unit: 'µs', higherIsBetter: false, value: c?.serverCpuUsPerDelivery ?? Number.NaN, clientBound, note },
      { name: `${at}: both nodes' CPU per delivery`, unit: 'µs', higherIsBetter: false, value: bothNodes, clientBound, note },
      { name: `${at}: publisher node CPU per publication`, unit: 'µs', higherIsBetter: false, value: c?.cluster?.publisherCpuUsPerPublication ?? Number.NaN },
      { name: `${at}: Redis CPU per publication`, unit: 'µs', higherIsBetter: false, value: c?.cluster?.redisCpuUsPerPublication ?? Number.NaN },
      { name: `${at}: Redis commands per publication`, unit: '', higherIsBetter: false, value: c?.cluster?.redisCommandsPerPublication ?? Number.NaN },
    ];
  },
  'connect-proxy': (run) => {
    const d = run.result.data as ConnectProxyData;
    return [
      { name: `connects/s through a ${d.backend} connect proxy (${d.connections} clients)`, unit: '/s', higherIsBetter: true, value: d.connectsPerSecond },
      { name: `server CPU per connect through a ${d.backend} connect proxy`, unit: 'µs', higherIsBetter: false, value: d.serverCpuUsPerConnect },
    ];
  },
  storm: (run) => {
    const d = run.result.data as StormData;
    return [
      { name: `storm ${d.clients} clients: time to all back and recovered`, unit: 's', higherIsBetter: false, value: d.secondsToAllResubscribed },
      { name: `storm ${d.clients} clients: server CPU per reconnect with recovery`, unit: 'µs', higherIsBetter: false, value: d.serverCpuUsPerReconnect },
      { name: `storm ${d.clients} clients: publications recovered of ${d.expectedRecoveredPublications}`, unit: '', higherIsBetter: true, value: d.recovery?.publications ?? Number.NaN },
      { name: `storm ${d.clients} clients: peak server RSS`, unit: 'MiB', higherIsBetter: false, value: d.serverPeakRssBytes / 2 ** 20 },
    ];
  },
  million: (run) => {
    const d = run.result.data as MillionData;
    const w = d.window;
    const processes = d.serverProcesses ?? 1;
    const at = `${d.connections} conns${processes > 1 ? ` (${processes} server processes, one core)` : ''}`;
    const clientBound = w.clientBound;
    const note = busyNote(w);
    return [
      { name: `${at}: connections held`, unit: '', higherIsBetter: true, value: d.held },
      { name: `${at}: dropped or failed connections`, unit: '', higherIsBetter: false, value: d.dropped + d.failed + d.pending },
      { name: `${at}: server RSS per connection`, unit: 'KiB', higherIsBetter: false, value: d.serverRssBytesPerConnection / 1024 },
      { name: `${at}: heap per connection`, unit: 'KiB', higherIsBetter: false, value: d.serverHeapBytesPerConnection / 1024 },
      { name: `${at}: connect+subscribe rate`, unit: '/s', higherIsBetter: true, value: d.connectRatePerSecond },
      { name: `${at}: deliveries/s (target ${d.targetDeliveriesPerSecond})`, unit: '/s', higherIsBetter: true, value: w.deliveriesPerSecond, clientBound, note },
      { name: `${at}: delivery latency p50`, unit: 'ms', higherIsBetter: false, value: w.deliveryLatency.p50 / 1000, clientBound, note },
      { name: `${at}: delivery latency p99`, unit: 'ms', higherIsBetter: false, value: w.deliveryLatency.p99 / 1000, clientBound, note },
      { name: `${at}: delivery latency p99.9`, unit: 'ms', higherIsBetter: false, value: w.deliveryLatency.p999 / 1000, clientBound, note },
      { name: `${at}: server CPU`, unit: '%', higherIsBetter: false, value: w.serverCpu * 100 },
    ];
  },
};

/**
 * Comparable figures from all runs; with several rounds a server's value is the median of its rounds.
 * Latency rows differ by rate between servers (each at half its own ceiling), so they are keyed by scenario
 * position rather than by name.
 */
export function collectMetrics(runs: readonly SuiteRun[]): Metric[] {
  const table = new Map<string, Metric & { samples: Partial<Record<ServerKind, number[]>> }>();
  for (const run of runs) {
    const extract = extractors[run.scenario];
    if (!extract) continue;
    extract(run).forEach((m, position) => {
      const key = run.scenario === 'latency' ? `latency#${run.variant}#${position}` : `${run.scenario}#${m.name}`;
      let row = table.get(key);
      if (!row) {
        row = { group: run.scenario, name: m.name, unit: m.unit, higherIsBetter: m.higherIsBetter, values: {}, flagged: {}, samples: {} };
        table.set(key, row);
      }
      if (run.scenario === 'latency' && run.variant === 'own') row.name = m.name.replace(/ \(.*\)$/, ' (each at half its own ceiling)');
      (row.samples[run.kind] ??= []).push(m.value);
      const flags: string[] = [];
      if (m.clientBound ?? run.result.clientBound) flags.push(m.note ?? 'client-bound');
      if (run.foreignLoadCores > 0.25) flags.push(`other load ${run.foreignLoadCores.toFixed(2)} cores`);
      if (flags.length > 0) row.flagged[run.kind] = flags.join(', ');
    });
  }
  const rows = [...table.values()].map(({ samples, ...row }) => {
    for (const kind of Object.keys(samples) as ServerKind[]) row.values[kind] = median(samples[kind]!);
    return row;
  });
  return [...rows, ...apiLatencyAtCommonRate(runs)];
}

/**
 * API latency compared at one rate: the highest offered rate that no server's run saturated at (every
 * server ramps through the same rates), per history mode; the median p99 over rounds.
 */
function apiLatencyAtCommonRate(runs: readonly SuiteRun[]): Metric[] {
  const apiRuns = runs.filter((r) => r.scenario === 'api');
  const out: Metric[] = [];
  for (const history of [false, true]) {
    const perRun = apiRuns.map((r) => ({ run: r, api: (r.result.data as ApiData).runs.find((x) => x.history === history) }));
    const calmRates = perRun.map(({ api }) => new Set((api?.steps ?? []).filter((s) => !s.saturated).map((s) => s.offeredRate)));
    if (calmRates.length === 0) continue;
    const common = [...calmRates[0]!].filter((rate) => calmRates.every((set) => set.has(rate)));
    if (common.length === 0) continue;
    const rate = Math.max(...common);
    const samples: Partial<Record<ServerKind, number[]>> = {};
    for (const { run, api } of perRun) {
      const step = api?.steps.find((s) => s.offeredRate === rate);
      if (step) (samples[run.kind] ??= []).push(step.apiLatency.p99 / 1000);
    }
    const values: Partial<Record<ServerKind, number>> = {};
    for (const kind of Object.keys(samples) as ServerKind[]) values[kind] = median(samples[kind]!);
    out.push({
      group: 'api',
      name: `HTTP publish, history ${history ? 'on' : 'off'}: p99 at ${rate} req/s (highest rate all sustained)`,
      unit: 'ms',
      higherIsBetter: false,
      values,
      flagged: {},
    });
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

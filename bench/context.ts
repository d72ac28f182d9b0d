import { ClusterProbe } from './cluster-probe.js';
import type { PercentileSummary } from './histogram.js';
import { parseApiUrl, type ApiTarget } from './http-publisher.js';
import type { BenchOptions } from './options.js';
import { Progress } from './progress.js';
import { ServerProbe } from './server-probe.js';
import { parseWsUrl, type WsTarget } from './ws-connection.js';

/** What every scenario gets: the options and the parsed target. */
export interface BenchContext {
  options: BenchOptions;
  ws: WsTarget;
  api: ApiTarget;
  probe: ServerProbe;
  /** crossnode: the publishing node and the Redis shards. */
  cluster: ClusterProbe | undefined;
  progress: Progress;
}

export function createContext(options: BenchOptions): BenchContext {
  return {
    options,
    ws: parseWsUrl(options.wsUrl),
    api: parseApiUrl(options.apiUrl, options.apiKey),
    probe: new ServerProbe(options.serverPids, options.metricsUrl),
    cluster:
      options.publisherPid !== undefined || options.redisPids.length > 0 || options.redisAddresses.length > 0
        ? new ClusterProbe(options.publisherPid, options.redisPids, options.redisAddresses)
        : undefined,
    progress: new Progress(!options.quiet),
  };
}

/** One scenario's outcome, as written to `--out`. `data` is scenario-specific. */
export interface BenchResult<T = unknown> {
  scenario: string;
  label: string;
  startedAt: string;
  finishedAt: string;
  command: string;
  /** The generator's CPU (fraction of one core) during the measurement windows, at most. */
  generatorCpu: number;
  /** True when the generator was over ~70 % of a core: the numbers may show the client, not the server. */
  clientBound: boolean;
  /** Clients that did not become ready, closes the server initiated, errors seen (first few). */
  problems: string[];
  data: T;
}

/** Percentiles in microseconds, rounded. */
export function roundSummary(s: PercentileSummary): PercentileSummary {
  return {
    count: s.count,
    min: Math.round(s.min),
    mean: Math.round(s.mean),
    p50: Math.round(s.p50),
    p90: Math.round(s.p90),
    p99: Math.round(s.p99),
    p999: Math.round(s.p999),
    max: Math.round(s.max),
  };
}

import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../bench/context.js';
import type { StepResult } from '../../../bench/load-step.js';
import type { ApiData } from '../../../bench/scenarios/api.js';
import type { IdleData } from '../../../bench/scenarios/idle.js';
import { collectMetrics } from '../../../bench/suite/metrics-table.js';
import type { ServerKind } from '../../../bench/suite/server-launcher.js';
import type { SuiteRun } from '../../../bench/suite/suite-types.js';

const summary = { count: 1, min: 1, mean: 1, p50: 1, p90: 1, p99: 1, p999: 1, max: 1 };

function result<T>(scenario: string, data: T, clientBound = false): BenchResult<T> {
  return { scenario, label: '', startedAt: '', finishedAt: '', command: '', generatorCpu: 0, clientBound, problems: [], data };
}

function run(kind: ServerKind, scenario: SuiteRun['scenario'], data: unknown, extra: Partial<SuiteRun> = {}): SuiteRun {
  return { kind, round: 0, scenario, variant: '', result: result(scenario, data), foreignLoadCores: 0, foreignLoadBeforeCores: 0, ...extra };
}

function idle(rssPerConn: number, connectGeneratorCpu = 0.1): IdleData {
  return {
    connections: 10,
    ready: 10,
    failed: 0,
    connectSeconds: 1,
    connectRatePerSecond: 10,
    connectGeneratorCpu,
    connectServerCpuUs: 100,
    setupLatency: summary,
    serverRssBytesPerConnection: rssPerConn,
    serverHeapBytesPerConnection: 0,
    kernelTcpBytesPerConnection: 0,
    serverRssBytes: 0,
    idleServerCpu: 0,
    idleCpuUsPerConnectionPerSecond: 0,
    idleSeconds: 1,
    pingsAnswered: 0,
  };
}

function step(offeredRate: number, p99Us: number, saturated: boolean): StepResult {
  return {
    offeredRate,
    publishedPerSecond: offeredRate,
    requestsPerSecond: offeredRate,
    deliveriesPerSecond: 0,
    expectedDeliveriesPerSecond: 0,
    serverCpu: 0.5,
    serverCpuUsPerDelivery: Number.NaN,
    serverCpuUsPerRequest: 30,
    generatorCpu: 0.2,
    clientBound: false,
    apiLatency: { ...summary, p99: p99Us },
    deliveryLatency: summary,
    apiErrors: 0,
    skipped: 0,
    saturated,
    saturation: saturated ? 'x' : '',
  };
}

function api(steps: StepResult[]): ApiData {
  return { batch: 1, runs: [{ history: false, channel: 'c', steps, ceiling: steps.at(-1), lastUnsaturated: steps.filter((s) => !s.saturated).at(-1) }] };
}

describe('collectMetrics', () => {
  it('takes the median of rounds per server and flags noisy or client-bound runs', () => {
    const runs = [
      run('ringcast', 'idle', idle(1024)),
      run('ringcast', 'idle', idle(3072), { round: 1, foreignLoadCores: 0.5 }),
      run('ringcast', 'idle', idle(2048), { round: 2 }),
      run('centrifugo', 'idle', idle(10240)),
    ];
    const rss = collectMetrics(runs).find((m) => m.name === 'server RSS per idle connection')!;
    expect(rss.values).toEqual({ ringcast: 2, centrifugo: 10 });
    expect(rss.higherIsBetter).toBe(false);
    expect(rss.flagged.ringcast).toMatch(/other load 0.50 cores/);
    expect(rss.flagged.centrifugo).toBeUndefined();
  });

  it('marks a connect rate the generator limited, and reports the server\'s CPU per connect beside it', () => {
    const metrics = collectMetrics([run('ringcast', 'idle', idle(1024, 0.83)), run('centrifugo', 'idle', idle(1024, 0.5))]);
    const rate = metrics.find((m) => m.name === 'connect+subscribe rate')!;
    expect(rate.flagged.ringcast).toMatch(/generator 83 % while connecting/);
    expect(rate.flagged.centrifugo).toBeUndefined();
    expect(metrics.find((m) => m.name === 'server CPU per connect+subscribe')!.values).toEqual({ ringcast: 100, centrifugo: 100 });
  });

  it('compares API latency at the highest rate every server sustained', () => {
    const runs = [
      run('ringcast', 'api', api([step(1000, 500, false), step(2000, 900, false), step(4000, 3000, false), step(8000, 9000, true)])),
      run('centrifugo', 'api', api([step(1000, 700, false), step(2000, 1500, false), step(4000, 50_000, true)])),
    ];
    const row = collectMetrics(runs).find((m) => m.name.includes('p99 at'))!;
    expect(row.name).toContain('2000 req/s');
    expect(row.values).toEqual({ ringcast: 0.9, centrifugo: 1.5 });
  });
});

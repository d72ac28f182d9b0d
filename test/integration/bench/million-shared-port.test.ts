import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../bench/context.js';
import { parseBenchArgs } from '../../../bench/options.js';
import { runScenario } from '../../../bench/run-bench.js';
import type { MillionData } from '../../../bench/scenarios/million.js';
import { summarize } from '../../../bench/summary.js';
import { launchSharedPortCluster, type SharedPortCluster } from '../../../bench/suite/cluster-launcher.js';

// `make bench-million MILLION_PROCESSES=k`: k built Ringcast nodes listen on one port (SO_REUSEPORT) and join
// through one redis-server, so one core can hold more connections than one process's descriptor limit. Here
// at a tiny size: the kernel spreads the clients over both nodes, publications through the shared API port
// reach every node's subscribers, and the report sums both processes.

const secret = 'shared-port-test-secret-0123456789abcdef';
const apiKey = 'shared-port-test-key';
let cluster: SharedPortCluster;

beforeAll(async () => {
  cluster = await launchSharedPortCluster(
    {
      kind: 'ringcast',
      ringcastMain: resolve('dist/node/cli/main.js'),
      centrifugoBin: undefined,
      secret,
      apiKey,
      historyNamespace: 'hist',
      cpus: undefined,
      nodeFlags: [],
      nice: undefined,
    },
    2,
  );
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

/** Established connections on the shared port, by the pid of the server process holding them (from ss). */
function connectionsByPid(port: number): Map<number, number> {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  const counts = new Map<number, number>();
  for (const m of out.matchAll(/pid=(\d+)/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  return counts;
}

describe('bench million on several processes sharing one port', () => {
  it('spreads 200 clients over both nodes and delivers through either, summing both in the report', async () => {
    const pids = cluster.nodes.map((n) => n.pid);
    const argv = [
      'million', '--url', cluster.wsUrl, '--api-url', cluster.apiUrl, '--api-key', apiKey, '--token-secret', secret,
      '--server-pid', pids.join(','), '--connections', '200', '--channels', '10', '--deliveries', '1000', '--duration', '2',
      '--connect-rate', '400', '--quiet',
    ];
    const port = Number(new URL(cluster.apiUrl).port);
    const most = new Map<number, number>();
    const watch = setInterval(() => {
      for (const [pid, n] of connectionsByPid(port)) most.set(pid, Math.max(most.get(pid) ?? 0, n));
    }, 250);
    let result: BenchResult<MillionData>;
    try {
      result = (await runScenario(parseBenchArgs(argv), 'test')) as BenchResult<MillionData>;
    } finally {
      clearInterval(watch);
    }
    const d = result.data;
    expect(result.problems).toEqual([]);
    // The kernel spread the clients over both processes.
    for (const pid of pids) expect(most.get(pid) ?? 0, `connections held by pid ${pid}`).toBeGreaterThan(20);
    expect(d.serverProcesses).toBe(2);
    expect([d.ready, d.held, d.dropped]).toEqual([200, 200, 0]);
    const w = d.window;
    expect(w.apiErrors).toBe(0);
    expect(w.deliveriesPerSecond).toBeGreaterThanOrEqual(0.9 * w.expectedDeliveriesPerSecond);
    expect(w.deliveriesPerSecond).toBeLessThanOrEqual(1.1 * w.expectedDeliveriesPerSecond);
    // RSS is both processes' sum; a scrape through the shared port reaches either, so heap is left out.
    expect(d.serverRssBytes).toBeGreaterThan(2 * 20 * 2 ** 20);
    expect(Number.isNaN(d.serverHeapBytesPerConnection)).toBe(true);
    expect(summarize(result)).toContain('200/200 connections held by 2 server processes');
  });
});

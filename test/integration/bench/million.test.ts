import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../bench/context.js';
import { parseBenchArgs } from '../../../bench/options.js';
import { runBench, runScenario } from '../../../bench/run-bench.js';
import type { MillionData } from '../../../bench/scenarios/million.js';
import { summarize } from '../../../bench/summary.js';
import { startTestNode, testApiKey, testSecret, type TestNode } from '../../helpers/test-node.js';

// `ringcast bench million` at a tiny size against a real node: every client connects with a JWT and
// subscribes, the publisher runs at the rate the delivery target implies, nothing is dropped, and the
// report carries the figures. No timing assertions: those belong to `make bench-million`.

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({ channel: { without_namespace: { allow_subscribe_for_client: true } } });
});
afterAll(async () => {
  await node.stop();
});

describe('bench million', () => {
  it('holds 200 connections over 10 channels and delivers 1000/s for 2 s with no problems', async () => {
    const argv = [
      'million', '--url', node.wsUrl, '--api-key', testApiKey, '--token-secret', testSecret, '--server-pid', String(process.pid),
      '--connections', '200', '--channels', '10', '--deliveries', '1000', '--duration', '2', '--connect-rate', '400', '--quiet',
    ];
    const result = (await runScenario(parseBenchArgs(argv), 'test')) as BenchResult<MillionData>;
    const d = result.data;
    expect(result.problems).toEqual([]);
    expect([d.ready, d.held, d.failed, d.pending, d.dropped]).toEqual([200, 200, 0, 0, 0]);
    expect(d.subscribersPerChannel).toBe(20);
    // 1000 deliveries/s over 20 subscribers per channel is 50 publications/s.
    expect(d.publishRate).toBe(50);
    const w = d.window;
    expect(w.apiErrors).toBe(0);
    // Each acknowledged publication reaches its channel's 20 subscribers (publishedPerSecond is rounded).
    expect(Math.abs(w.expectedDeliveriesPerSecond - w.publishedPerSecond * 20)).toBeLessThanOrEqual(20);
    expect(w.deliveriesPerSecond).toBeGreaterThanOrEqual(0.9 * w.expectedDeliveriesPerSecond);
    expect(w.deliveriesPerSecond).toBeLessThanOrEqual(1.1 * w.expectedDeliveriesPerSecond);
    expect(w.deliveryLatency.count).toBeGreaterThan(0);
    expect(d.serverRssBytes).toBeGreaterThan(0);
    expect(d.sockstat.tcpInUse).toBeGreaterThanOrEqual(400);
    expect(d.kernel.short).toEqual([]);
    expect(d.loadAverageAtStart).toHaveLength(3);
    expect(summarize(result)).toContain('200/200 connections held');
  });

  it('refuses to start, changing nothing, when MemAvailable cannot hold N', async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runBench(['million', '--url', node.wsUrl, '--api-key', testApiKey, '--token-secret', testSecret, '--connections', '1000000000', '--quiet']);
    } finally {
      process.stderr.write = write;
    }
    expect(code).toBe(1);
    expect(errors.join('')).toMatch(/1000000000 connections need about [\d.]+ GiB .* but MemAvailable is [\d.]+ GiB; this machine holds about \d+/);
    expect(errors.join('')).not.toMatch(/changed/);
  });
});

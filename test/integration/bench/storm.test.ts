import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../bench/context.js';
import { parseBenchArgs } from '../../../bench/options.js';
import { runScenario } from '../../../bench/run-bench.js';
import type { IdleData } from '../../../bench/scenarios/idle.js';
import type { StormData } from '../../../bench/scenarios/storm.js';
import { startTestNode, testApiKey, testSecret, type TestNode } from '../../helpers/test-node.js';

// `ringcast bench storm` at a small size against a real node: recoverable clients drop at once, their
// channels get publications while they are away, and every client comes back with exactly what it missed,
// with the clients in this process and in the Go helper. A namespace whose history is too short to recover
// from shows the check failing. No timing assertions: those belong to `make bench`.

let node: TestNode;
let dir: string;
let helper: string;

beforeAll(async () => {
  node = await startTestNode({
    channel: {
      without_namespace: { allow_subscribe_for_client: true, allow_user_limited_channels: true },
      namespaces: [
        { name: 'hist', history_size: 100, history_ttl: '300s', allow_subscribe_for_client: true, allow_recovery: true },
        { name: 'short', history_size: 1, history_ttl: '300s', allow_subscribe_for_client: true, allow_recovery: true },
      ],
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'ringcast-native-subscriber-'));
  helper = join(dir, 'native-subscriber');
  execFileSync('go', ['build', '-o', helper, '.'], { cwd: 'test/bench/native-subscriber', stdio: 'inherit' });
}, 120_000);
afterAll(async () => {
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function args(scenario: string, extra: string[]): string[] {
  return [scenario, '--url', node.wsUrl, '--api-key', testApiKey, '--token-secret', testSecret, '--server-pid', String(process.pid), '--quiet', ...extra];
}

async function storm(extra: string[]): Promise<BenchResult<StormData>> {
  return (await runScenario(parseBenchArgs(args('storm', extra)), 'test')) as BenchResult<StormData>;
}

describe('bench storm with recovery', () => {
  it.each([
    ['in this process', () => [] as string[]],
    ['in the Go helper', () => ['--native-subscriber', helper]],
  ])('300 clients over 20 channels recover 3 publications each (%s)', async (_where, clients) => {
    const prefix = `st${Math.random().toString(36).slice(2, 8)}`;
    const result = await storm(['--connections', '300', '--channels', '20', '--missed', '3', '--channel-prefix', prefix, ...clients()]);
    const d = result.data;
    expect(result.problems).toEqual([]);
    expect(d.publishedWhileAway).toBe(60);
    expect(d.recovered).toBe(300);
    expect(d.recovery).toEqual({ attempts: 300, recovered: 300, notRecovered: 0, publications: 900, gaps: 0 });
    expect(d.expectedRecoveredPublications).toBe(900);
    expect(d.serverCpuUsPerReconnect).toBeGreaterThan(0);
  });

  it('reports clients that could not recover when the history is shorter than what they missed', async () => {
    const result = await storm(['--connections', '50', '--channels', '5', '--missed', '3', '--history-namespace', 'short', '--channel-prefix', 'stshort']);
    expect(result.data.recovered).toBe(50);
    expect(result.data.recovery).toMatchObject({ attempts: 50, recovered: 0, notRecovered: 50, publications: 0 });
    expect(result.problems).toContain('50 resubscribes did not recover');
    expect(result.problems).toContain('recovered 0 publications, expected 150');
  });
});

describe('bench idle in the Go helper', () => {
  it('holds 200 clients on personal channels and reports the connect cost', async () => {
    const result = (await runScenario(parseBenchArgs(args('idle', ['--connections', '200', '--idle-seconds', '1', '--native-subscriber', helper])), 'test')) as BenchResult<IdleData>;
    const d = result.data;
    expect(result.problems).toEqual([]);
    expect([d.ready, d.failed]).toEqual([200, 0]);
    expect(d.connectServerCpuUs).toBeGreaterThan(0);
    expect(d.connectGeneratorCpu).toBeGreaterThan(0);
  });
});

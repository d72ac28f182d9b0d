import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisCommandsProcessed } from '../cluster-probe.js';
import { sleep } from '../clock.js';
import { freePort, launchServer, type LaunchOptions, type RunningServer } from './server-launcher.js';

export interface RunningRedis {
  pid: number;
  address: string;
  stop(): Promise<void>;
}

/** A throwaway redis-server (no persistence) on a free loopback port, pinned and niced like the servers. */
export async function launchRedis(cpus: string | undefined, nice: number | undefined): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-bench-redis-'));
  let command = ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const adjust = nice === undefined ? 0 : nice - getPriority();
  if (adjust !== 0) command = ['nice', '-n', String(adjust), ...command];
  if (cpus !== undefined) command = ['taskset', '-c', cpus, ...command];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await redisCommandsProcessed(address).then(() => true, () => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error('redis-server did not start (is it installed? make system-deps)');
    }
    await sleep(50);
  }
  return {
    pid: child.pid!,
    address,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningCluster {
  /** The node whose API publishes. */
  publisher: RunningServer;
  /** The node the subscribers connect to. */
  subscriber: RunningServer;
  redis: RunningRedis[];
  stop(): Promise<void>;
}

/** Waits until `/api/info` through `apiUrl` lists `count` nodes (they found each other through Redis). */
async function awaitNodes(apiUrl: string, apiKey: string, count: number, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const info = (await (await fetch(`${apiUrl}/info`, { method: 'POST', headers: { 'X-API-Key': apiKey }, body: '{}' })).json()) as {
        result?: { nodes?: unknown[] };
      };
      if ((info.result?.nodes?.length ?? 0) >= count) return;
    } catch {
      // a node still starting may refuse the connection
    }
    if (Date.now() > deadline) throw new Error(`${what}: fewer than ${count} nodes saw each other through Redis`);
    await sleep(200);
  }
}

export interface SharedPortCluster {
  /** The node processes (their CPU and RSS are the server's). */
  nodes: RunningServer[];
  redis: RunningRedis;
  wsUrl: string;
  apiUrl: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * `processes` Ringcast nodes listening on one port (uWebSockets.js binds with SO_REUSEPORT, so the kernel spreads
 * new connections over them) and joined through one Redis, all pinned to the server CPUs: one core's worth of
 * nodes for more connections than one process may hold open (RLIMIT_NOFILE). Publishing through any node reaches
 * every node's subscribers, as in any Ringcast cluster.
 */
export async function launchSharedPortCluster(o: LaunchOptions, processes: number): Promise<SharedPortCluster> {
  if (o.kind !== 'ringcast') throw new Error('several server processes on one port: Ringcast only (Centrifugo does not bind with SO_REUSEPORT)');
  const redis = await launchRedis(o.cpus, o.nice);
  const nodes: RunningServer[] = [];
  try {
    const engine = { type: 'redis', redis: { address: [`redis://${redis.address}`], prefix: 'bench' } };
    const first = await launchServer({ ...o, engine, nodeName: 'ringcast-1' });
    nodes.push(first);
    const port = Number(new URL(first.apiUrl).port);
    for (let i = 2; i <= processes; i++) nodes.push(await launchServer({ ...o, engine, nodeName: `ringcast-${i}`, port }));
    await awaitNodes(first.apiUrl, o.apiKey, processes, 'shared-port cluster');
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
    throw err;
  }
  return {
    nodes,
    redis,
    wsUrl: nodes[0]!.wsUrl,
    apiUrl: nodes[0]!.apiUrl,
    metricsUrl: nodes[0]!.metricsUrl,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
    },
  };
}

/**
 * Two nodes of one kind (Ringcast or Centrifugo) on `shards` fresh Redis shards with the same ordered
 * addresses and prefix; everything pinned to the server CPUs. Waits until both nodes know each other.
 */
export async function launchCluster(o: LaunchOptions, shards: number): Promise<RunningCluster> {
  const redis: RunningRedis[] = [];
  const nodes: RunningServer[] = [];
  try {
    for (let i = 0; i < shards; i++) redis.push(await launchRedis(o.cpus, o.nice));
    const engine = { type: 'redis', redis: { address: redis.map((r) => `redis://${r.address}`), prefix: 'bench' } };
    nodes.push(await launchServer({ ...o, engine, nodeName: `${o.kind}-a` }));
    nodes.push(await launchServer({ ...o, engine, nodeName: `${o.kind}-b` }));
    await awaitNodes(nodes[0]!.apiUrl, o.apiKey, 2, `${o.kind} nodes`);
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(redis.map((r) => r.stop()));
    throw err;
  }
  return {
    publisher: nodes[0]!,
    subscriber: nodes[1]!,
    redis,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await Promise.all(redis.map((r) => r.stop()));
    },
  };
}

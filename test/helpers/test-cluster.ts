import { shardIndex } from '../../src/sharding/jump-hash.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { startTestNode, type TestNode } from './test-node.js';
import { waitFor } from './wait-for.js';

let clusters = 0;

export interface TestCluster {
  redis: RedisServer[];
  nodes: TestNode[];
  prefix: string;
  /** Config that makes another node (or a Centrifugo) join the same ring. */
  engineConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

/** `shards` real redis-server processes and `nodes` Ringcast nodes on them (one ring, one key prefix). */
export async function startTestCluster(
  shards: number,
  nodes: number,
  overrides: Record<string, unknown> = {},
): Promise<TestCluster> {
  const redis = await Promise.all(Array.from({ length: shards }, () => startRedisServer()));
  const prefix = `rc${process.pid}x${++clusters}`;
  const engineConfig = { engine: { type: 'redis', redis: { address: redis.map((r) => r.url), prefix } } };
  const started: TestNode[] = [];
  try {
    for (let i = 0; i < nodes; i++) {
      started.push(await startTestNode({ ...overrides, ...engineConfig, node: { name: `node-${String.fromCharCode(97 + i)}` } }));
    }
    // Every node has heard every other's node info.
    for (const node of started) {
      await waitFor(`${nodes} nodes in /api/info`, async () => {
        const { json } = await node.api('info', {});
        return (json as { result: { nodes: unknown[] } }).result.nodes.length === nodes;
      }, 15_000, 100);
    }
  } catch (err) {
    await Promise.all(started.map((n) => n.stop()));
    await Promise.all(redis.map((r) => r.stop()));
    throw err;
  }
  return {
    redis,
    nodes: started,
    prefix,
    engineConfig,
    async stop() {
      await Promise.all(started.map((n) => n.stop()));
      await Promise.all(redis.map((r) => r.stop()));
    },
  };
}

/** `count` channel names `<prefix><n>` that the jump hash puts on `shard` of `shards`. */
export function channelsOnShard(prefix: string, shard: number, shards: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (shardIndex(`${prefix}${i}`, shards) === shard) out.push(`${prefix}${i}`);
  return out;
}

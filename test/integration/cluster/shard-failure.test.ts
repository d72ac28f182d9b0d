import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { expectEveryAcknowledgedReceived, startPublishing, subscribeLoads, twoShardLoads, type Client } from '../../helpers/shard-outage-load.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { waitFor } from '../../helpers/wait-for.js';

// A shard is killed (SIGKILL) while node A publishes to channels on both shards and subscribers listen on
// node B. Only the dead shard's channels answer error 100; once it is back (its AOF, fsynced on every write,
// keeps the streams), node B resubscribes, tells the subscribers to recover, and every subscriber ends up with
// every acknowledged publication and no gap in its offsets.

let redis: RedisServer[];
let a: TestNode;
let b: TestNode;
const clients: Client[] = [];

beforeAll(async () => {
  const durable = { args: ['--appendonly', 'yes', '--appendfsync', 'always'] };
  redis = await Promise.all([startRedisServer(durable), startRedisServer(durable)]);
  const config = {
    engine: { type: 'redis', redis: { address: redis.map((r) => r.url), prefix: `fail${process.pid}` } },
    channel: {
      namespaces: [
        { name: 'load', allow_subscribe_for_client: true, history_size: 10_000, history_ttl: '600s', force_recovery: true },
      ],
    },
  };
  a = await startTestNode({ ...config, node: { name: 'a' } });
  b = await startTestNode({ ...config, node: { name: 'b' } });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await a?.stop();
  await b?.stop();
  await Promise.all((redis ?? []).map((r) => r.stop()));
});

it('errors only on the dead shard and recovers every subscriber without missing offsets', async () => {
  const loads = twoShardLoads('load:', 8);
  await subscribeLoads(b, loads, 4, clients);
  const publishing = startPublishing(a, loads);

  await waitFor('publications before the failure', () => loads.every((l) => l.acked.length >= 5));
  await redis[1]!.kill();
  publishing.outage = true;
  await waitFor('errors on the dead shard', () => loads.filter((l) => l.shard === 1).every((l) => l.errors.length >= 3));
  await waitFor('publications on the live shard meanwhile', () => publishing.okOnLiveShard >= 50);
  const health = (await (await fetch(`${a.httpUrl}/health`)).json()) as { shards: Record<string, string> };
  expect(health.shards).toEqual({ [redis[0]!.url]: 'ready', [redis[1]!.url]: 'unavailable' });

  await redis[1]!.start();
  publishing.outage = false;
  const ackedBefore = new Map(loads.map((l) => [l, l.acked.length]));
  await waitFor('publications on the returned shard', () => loads.every((l) => l.acked.length >= ackedBefore.get(l)! + 5), 20_000);
  await publishing.stop();
  // One stream each (the AOF kept it).
  await expectEveryAcknowledgedReceived(loads);
  const metrics = await (await fetch(`${b.httpUrl}/metrics`)).text();
  expect(metrics).toContain(`ringcast_redis_reconnects_total{shard="${redis[1]!.url}"} 1`);
}, 120_000);

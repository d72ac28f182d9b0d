import { Centrifuge } from 'centrifuge';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { shardIndex } from '../../../src/sharding/jump-hash.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// A node reads its ring from a file; the file grows from two shards to three while 10,000 channels have
// subscribers. About a third of the channels move to the new shard; their subscribers are told to recover
// (unsubscribe 2500, the SDK resubscribes) and every subscription keeps receiving.
type Client = InstanceType<typeof Centrifuge>;

const channelCount = 10_000;
const clientsCount = 100;
let redis: RedisServer[];
let node: TestNode;
let dir: string;
let ringFile: string;
const clients: Client[] = [];

function writeRing(servers: RedisServer[]): void {
  writeFileSync(ringFile, JSON.stringify({ shards: servers.map((s, i) => ({ name: `shard-${i}`, address: s.url })) }));
}

beforeAll(async () => {
  redis = await Promise.all([startRedisServer(), startRedisServer(), startRedisServer()]);
  dir = mkdtempSync(join(tmpdir(), 'ringcast-ring-'));
  ringFile = join(dir, 'ring.json');
  writeRing(redis.slice(0, 2));
  node = await startTestNode({
    engine: { type: 'redis', redis: { prefix: `growth${process.pid}` } },
    ringcast: { engine: { redis: { ring_file: ringFile } } },
    client: { channel_limit: 200 },
    channel: {
      namespaces: [{ name: 'grow', allow_subscribe_for_client: true, history_size: 10, history_ttl: '300s', force_recovery: true }],
    },
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await node?.stop();
  await Promise.all((redis ?? []).map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

it('moves about a third of 10,000 channels to a third shard and keeps every subscription receiving', async () => {
  const channels = Array.from({ length: channelCount }, (_, i) => `grow:${i}`);
  const received = new Map<string, unknown[]>();
  let insufficientState = 0;
  for (let c = 0; c < clientsCount; c++) {
    const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: `u${c}` }) });
    clients.push(client);
    for (let i = c; i < channelCount; i += clientsCount) {
      const sub = client.newSubscription(channels[i]!);
      received.set(channels[i]!, []);
      sub.on('publication', (ctx) => received.get(channels[i]!)!.push(ctx.data));
      // Unsubscribe pushes with codes from 2500 send the SDK back to subscribing (with recovery).
      sub.on('subscribing', (ctx) => {
        if (ctx.code === 2500) insufficientState++;
      });
      sub.subscribe();
    }
    client.connect();
  }
  const redisEngine = node.node.engine.redis!;
  await waitFor('10,000 subscriptions', () => node.node.ctx.hub.subscriptions === channelCount, 60_000, 100);

  // An invalid edit is ignored: the ring in use stays.
  writeFileSync(ringFile, '{ "shards": [ ');
  writeRing(redis);
  await waitFor('the third shard in the ring', () => redisEngine.ring.size === 3, 20_000, 50);
  await redisEngine.settled();

  const moved = channels.filter((ch) => shardIndex(ch, 2) !== shardIndex(ch, 3));
  expect(moved.length).toBeGreaterThan(channelCount * 0.3);
  expect(moved.length).toBeLessThan(channelCount * 0.37);
  // Subscribers of moved channels were told to recover and resubscribed.
  await waitFor('resubscriptions of moved channels', () => insufficientState === moved.length, 30_000, 100);
  await waitFor('10,000 subscriptions again', () => node.node.ctx.hub.subscriptions === channelCount, 30_000, 100);
  expect(redisEngine.broker.subscribedOn('shard-2').sort()).toEqual([...moved].sort());

  const { json } = await node.api('broadcast', { channels, data: { after: 'growth' } });
  expect((json as { result: { responses: unknown[] } }).result.responses).toHaveLength(channelCount);
  await waitFor(
    'a publication on every channel',
    () => channels.every((ch) => received.get(ch)!.length === 1),
    30_000,
    100,
  );
}, 180_000);

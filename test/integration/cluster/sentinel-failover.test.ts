import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSentinelShard, type SentinelShard } from '../../helpers/redis-topologies.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// A shard behind Sentinel, configured with Centrifugo's keys (sentinel_address, sentinel_master_name). When
// its master dies, Sentinel promotes the replica and the node follows: publishing works again, and once the
// PUB/SUB connection is back the subscriber is told to recover and gets what was published meanwhile.
let sentinel: SentinelShard;
let node: TestNode;

beforeAll(async () => {
  sentinel = await startSentinelShard('failover');
  node = await startTestNode({
    engine: {
      type: 'redis',
      redis: {
        sentinel_address: [sentinel.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')],
        sentinel_master_name: 'failover',
        prefix: `sentinel${process.pid}`,
      },
    },
    channel: { namespaces: [{ name: 'fo', allow_subscribe_for_client: true, history_size: 100, history_ttl: '300s', force_recovery: true }] },
  });
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await sentinel?.stop();
});

it('follows a Sentinel failover: publishing resumes on the promoted replica and subscribers keep receiving', async () => {
  const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'u' }) });
  const sub = client.newSubscription('fo:news');
  const received: unknown[] = [];
  sub.on('publication', (ctx) => received.push(ctx.data));

  sub.subscribe();
  client.connect();
  await sub.ready(5000);
  const publish = async (n: number): Promise<boolean> => {
    // Retried during the failover: the idempotency key keeps a publish whose reply was lost from landing twice.
    const { json } = await node.api('publish', { channel: 'fo:news', data: { n }, idempotency_key: `fo-${n}` });
    return 'result' in (json as object);
  };
  expect(await publish(1)).toBe(true);
  await waitFor('the first publication', () => received.length === 1);

  // Replication is asynchronous: writes the replica has not received yet are lost in a failover (the stream
  // then restarts with a new epoch and the client cannot recover them). Kill the master once it is in sync.
  await sentinel.replicated();
  await sentinel.master.kill();
  let n = 2;
  await waitFor('publishing on the promoted replica', () => publish(n), 30_000, 250);
  await publish(++n);
  // Both publications after the failover arrive: live, or recovered from history after the resubscribe (the
  // PUB/SUB reconnect backs off while Sentinel has not promoted the replica yet, longer on a loaded machine).
  await waitFor('the publications after the failover', () => received.filter((d) => (d as { n: number }).n >= 2).length === 2, 60_000).catch(
    async (error: unknown) => {
      // Say what the client and the node saw when this wait times out.
      const health = await (await fetch(`${node.httpUrl}/health`)).text();
      throw new Error(
        `${(error as Error).message}; received ${JSON.stringify(received)}, subscription ${sub.state}, client ${client.state}, /health ${health}`,
      );
    },
  );
  expect(received.map((d) => (d as { n: number }).n)).toEqual([1, 2, 3]);
  client.disconnect();
}, 150_000);

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarantool, tarantoolTestPassword, tarantoolTestUser, type TarantoolServer } from '../../helpers/tarantool-server.js';
import { expectEveryAcknowledgedReceived, startPublishing, subscribeLoads, twoShardLoads, type Client } from '../../helpers/shard-outage-load.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { waitFor } from '../../helpers/wait-for.js';

// A Tarantool instance is killed (SIGKILL) while node A publishes to channels on both instances and
// subscribers listen on node B. Only the dead instance's channels answer error 100; once it is back (its WAL
// keeps the streams), node B resubscribes, tells the subscribers to recover, and every subscriber ends up with
// every acknowledged publication and no gap in its offsets.

let tarantools: TarantoolServer[];
let a: TestNode;
let b: TestNode;
const clients: Client[] = [];
const logsA: string[] = [];
const logsB: string[] = [];

beforeAll(async () => {
  tarantools = await Promise.all([startTarantool(), startTarantool()]);
  const config = {
    engine: {
      type: 'tarantool',
      tarantool: { address: tarantools.map((t) => t.address), user: tarantoolTestUser, password: tarantoolTestPassword },
    },
    channel: {
      namespaces: [
        { name: 'load', allow_subscribe_for_client: true, history_size: 10_000, history_ttl: '600s', force_recovery: true },
      ],
    },
  };
  a = await startTestNode({ ...config, node: { name: 'a' } }, { logs: logsA });
  b = await startTestNode({ ...config, node: { name: 'b' } }, { logs: logsB });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await a?.stop();
  await b?.stop();
  await Promise.all((tarantools ?? []).map((t) => t.stop()));
});

const messages = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { msg: string }).msg);

it('errors only on the dead instance and recovers every subscriber without missing offsets', async () => {
  const loads = twoShardLoads('load:', 6);
  await subscribeLoads(b, loads, 3, clients);
  const publishing = startPublishing(a, loads);

  await waitFor('publications before the failure', () => loads.every((l) => l.acked.length >= 5));
  await tarantools[1]!.kill();
  publishing.outage = true;
  await waitFor('errors on the dead instance', () => loads.filter((l) => l.shard === 1).every((l) => l.errors.length >= 3));
  await waitFor('publications on the live instance meanwhile', () => publishing.okOnLiveShard >= 30);
  const health = (await (await fetch(`${a.httpUrl}/health`)).json()) as { shards: Record<string, string> };
  expect(health.shards).toEqual({ [tarantools[0]!.address]: 'ready', [tarantools[1]!.address]: 'unavailable' });
  await waitFor('both nodes log the loss', () =>
    [logsA, logsB].every((logs) => messages(logs).some((m) => m.startsWith('lost the Tarantool shard'))));

  await tarantools[1]!.start();
  publishing.outage = false;
  await waitFor('both nodes reconnect', () =>
    [logsA, logsB].every((logs) => messages(logs).some((m) => m.startsWith('reconnected to Tarantool'))), 20_000);
  const ackedBefore = new Map(loads.map((l) => [l, l.acked.length]));
  await waitFor('publications on the returned instance', () => loads.every((l) => l.acked.length >= ackedBefore.get(l)! + 5), 20_000);
  await publishing.stop();
  // One stream each (the WAL kept it).
  await expectEveryAcknowledgedReceived(loads);
}, 120_000);

import { Centrifuge } from 'centrifuge';
import { afterAll, afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { startTarantool, tarantoolTestPassword, tarantoolTestUser, type TarantoolServer } from '../../helpers/tarantool-server.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// The NATS server or the Tarantool instance is not running when the nodes start: they start anyway, answer 100
// and report 503 on /health, say so in the log; a client of the official SDK that subscribes meanwhile is refused
// with 100 and retries on its own; once the backend comes up the nodes connect, the retried subscription
// succeeds and publications cross from one node to the other.
type Client = InstanceType<typeof Centrifuge>;

const nodes: TestNode[] = [];
const clients: Client[] = [];
const backends: Array<NatsServer | TarantoolServer> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
});

afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.stop()));
});

const messages = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { msg: string }).msg);

async function expectServingWithoutBackend(config: Record<string, unknown>, channel: string, backendName: string, up: () => Promise<void>): Promise<void> {
  const logsA: string[] = [];
  const a = await startTestNode({ ...config, node: { name: 'a' } }, { logs: logsA });
  nodes.push(a);
  const b = await startTestNode({ ...config, node: { name: 'b' } });
  nodes.push(b);

  expect((await fetch(`${a.httpUrl}/health`)).status).toBe(503);
  expect((await a.api('publish', { channel, data: {} })).json).toMatchObject({ error: { code: 100 } });
  expect(messages(logsA).some((m) => m.includes(backendName) && m.includes('not reachable'))).toBe(true);

  const client = new Centrifuge(b.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'early' }) });
  clients.push(client);
  const subscribeErrors: number[] = [];
  const received: unknown[] = [];
  const sub = client.newSubscription(channel);
  sub.on('error', (ctx) => subscribeErrors.push(ctx.error.code));
  sub.on('publication', (ctx) => received.push(ctx.data));
  sub.subscribe();
  client.connect();
  await waitFor('the subscription refused with 100 while the backend is down', () => subscribeErrors.length > 0, 10_000);
  expect(new Set(subscribeErrors)).toEqual(new Set([100]));
  expect(sub.state).not.toBe('subscribed');

  await up();
  await waitFor('node A ready', async () => (await fetch(`${a.httpUrl}/health`)).status === 200, 20_000);
  await waitFor('the retried subscription succeeds', () => sub.state === 'subscribed', 30_000);
  await waitFor('2 nodes in /api/info of node A', async () => {
    const { json } = await a.api('info', {});
    return (json as { result: { nodes: unknown[] } }).result.nodes.length === 2;
  }, 20_000);
  for (let n = 1; n <= 5; n++) expect((await a.api('publish', { channel, data: { n } })).json).toMatchObject({ result: {} });
  await waitFor('5 publications on node B', () => received.length === 5);
  expect(received).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
}

it('NATS: the nodes serve while nats-server is down and join up once it starts', async () => {
  const nats = await startNatsServer({ running: false });
  backends.push(nats);
  const config = {
    engine: { type: 'nats' },
    broker: { nats: { url: nats.url, prefix: `natsd${process.pid}`, dial_timeout: '200ms' } },
    channel: { namespaces: [{ name: 'early', allow_subscribe_for_client: true }] },
  };
  await expectServingWithoutBackend(config, 'early:nats', 'NATS', () => nats.start());
}, 90_000);

it('Tarantool: the nodes serve while the instance is down and join up once it starts', async () => {
  const tarantool = await startTarantool({ running: false });
  backends.push(tarantool);
  const config = {
    engine: {
      type: 'tarantool',
      tarantool: { address: tarantool.address, user: tarantoolTestUser, password: tarantoolTestPassword, connect_timeout: '200ms' },
    },
    channel: { namespaces: [{ name: 'early', allow_subscribe_for_client: true, history_size: 10, history_ttl: '60s' }] },
  };
  await expectServingWithoutBackend(config, 'early:tnt', 'Tarantool', () => tarantool.start());
}, 90_000);

import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPorts } from '../../helpers/kube-free-port.js';
import { startTarantool, tarantoolTestPassword, tarantoolTestUser, type TarantoolServer } from '../../helpers/tarantool-server.js';
import { channelsOnShard } from '../../helpers/test-cluster.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { waitFor } from '../../helpers/wait-for.js';

// What a node does with a second "Tarantool" it cannot use — something else on the port, a server that answers
// garbage after a valid greeting, a wrong password: a clear log line and error 100 for that shard's channels
// while the good shard keeps working; never a crash.
const namespaces = [{ name: 'bad', history_size: 10, history_ttl: '60s' }];
let good: TarantoolServer;
const servers: Server[] = [];
const nodes: TestNode[] = [];

beforeAll(async () => {
  good = await startTarantool();
}, 30_000);
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});
afterAll(async () => {
  for (const server of servers) server.close();
  await good?.stop();
});

/** A TCP server on a free loopback port that answers every connection with `onConnection`. */
async function fakeServer(onConnection: (socket: import('node:net').Socket) => void): Promise<string> {
  const [port] = await freeLoopbackPorts(1);
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `127.0.0.1:${port}`;
}

async function nodeWithSecondShard(second: string, logs: string[], password = tarantoolTestPassword): Promise<TestNode> {
  const node = await startTestNode(
    {
      engine: {
        type: 'tarantool',
        tarantool: { address: [good.address, second], user: tarantoolTestUser, password, connect_timeout: '300ms' },
      },
      channel: { namespaces },
    },
    { logs },
  );
  nodes.push(node);
  return node;
}

const logged = (logs: string[], text: string) => logs.some((line) => line.includes(text));

let round = 0;

async function expectOnlySecondShardDown(node: TestNode): Promise<void> {
  round++;
  const [onGood] = channelsOnShard(`bad:g${process.pid}x${round}x`, 0, 2, 1);
  const [onBad] = channelsOnShard(`bad:b${process.pid}x${round}x`, 1, 2, 1);
  expect((await node.api('publish', { channel: onGood, data: {} })).json).toMatchObject({ result: { offset: 1 } });
  expect((await node.api('publish', { channel: onBad, data: {} })).json).toMatchObject({ error: { code: 100 } });
  expect((await node.api('history', { channel: onBad })).json).toMatchObject({ error: { code: 100 } });
  expect((await fetch(`${node.httpUrl}/health`)).status).toBe(200);
}

it('something that is not Tarantool on the port', async () => {
  const logs: string[] = [];
  const address = await fakeServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'.padEnd(200, ' ')));
  const node = await nodeWithSecondShard(address, logs);
  await waitFor('the log line', () => logged(logs, 'cannot connect to Tarantool') && logged(logs, 'not Tarantool'));
  await expectOnlySecondShardDown(node);
});

it('a server that greets as Tarantool and then answers garbage', async () => {
  const logs: string[] = [];
  const salt = Buffer.alloc(32, 1).toString('base64');
  const greeting = `${'Tarantool 2.6.0 (Binary) 00000000-0000-0000-0000-000000000000'.padEnd(63)}\n${salt.padEnd(63)}\n`;
  const address = await fakeServer((socket) => {
    socket.write(greeting);
    socket.on('data', () => socket.write(Buffer.from([0xce, 0, 0, 0, 3, 0xc1, 0xc1, 0xc1])));
    socket.on('error', () => {});
  });
  const node = await nodeWithSecondShard(address, logs);
  await waitFor('the log line', () => logged(logs, 'cannot connect to Tarantool') && logged(logs, 'does not parse'));
  await expectOnlySecondShardDown(node);
});

it('a wrong password', async () => {
  const logs: string[] = [];
  const other = await startTarantool();
  try {
    const node = await nodeWithSecondShard(other.address, logs, 'wrong-password');
    await waitFor('the log line', () => logged(logs, 'cannot connect to Tarantool'));
    expect(logs.join('\n')).not.toContain('wrong-password');
    // Both shards get the wrong password; neither serves, and the node says so without falling over.
    expect((await node.api('publish', { channel: 'bad:x', data: {} })).json).toMatchObject({ error: { code: 100 } });
    expect((await fetch(`${node.httpUrl}/health`)).status).toBe(503);
  } finally {
    await other.stop();
  }
});

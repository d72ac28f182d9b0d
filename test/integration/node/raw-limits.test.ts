import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({
    client: { queue_max_size: 65536, connection_limit: 4, user_connection_limit: 1 },
    channel: {
      without_namespace: { allow_subscribe_for_client: true },
      namespaces: [{ name: 'hist', allow_subscribe_for_client: true, history_size: 5, history_ttl: '60s', allow_recovery: true }],
    },
  });
});
afterAll(() => node.stop());

async function connect(user: string): Promise<RawClient> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } });
  await client.reply(1);
  return client;
}

describe('limits', () => {
  it('closes a client that does not read with 3008 (slow) instead of buffering without bound', async () => {
    const slow = await connect('slow');
    slow.sendJson({ id: 2, subscribe: { channel: 'firehose' } });
    await slow.reply(2);
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause(); // the kernel buffers fill, then the node's own queue
    const payload = { blob: 'x'.repeat(100_000) };
    for (let i = 0; i < 200 && node.node.ctx.hub.userSessions('slow') !== undefined; i++) {
      await node.api('publish', { channel: 'firehose', data: payload });
    }
    await waitFor('slow client dropped', () => node.node.ctx.hub.userSessions('slow') === undefined);
    socket.resume();
    expect(await slow.closed(10_000)).toEqual({ code: 3008, reason: 'slow' });
  });

  // centrifuge client.go connectCmd: past user_connection_limit the connect ends with DisconnectConnectionLimit.
  it('disconnects with 3504 when a user exceeds client.user_connection_limit', async () => {
    const first = await connect('limited');
    const second = await RawClient.open(node.wsUrl);
    second.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'limited' }) } });
    expect(await second.closed()).toEqual({ code: 3504, reason: 'connection limit' });
    first.close();
  });

  // centrifugo middleware/connlimit.go: at client.connection_limit new connections get HTTP 503 before the
  // upgrade; one already upgraded when the limit fills up is refused at connect with 3504.
  it('refuses new connections with HTTP 503 when the node holds client.connection_limit connections', async () => {
    await waitFor('earlier clients gone', () => node.node.ctx.hub.connections === 0);
    const early = await RawClient.open(node.wsUrl);
    const clients = await Promise.all(['a', 'b', 'c', 'd'].map((u) => connect(`cl-${u}`)));
    await expect(RawClient.open(node.wsUrl)).rejects.toThrow(/503/);
    early.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'cl-e' }) } });
    expect(await early.closed()).toEqual({ code: 3504, reason: 'connection limit' });
    for (const c of clients) c.close();
  });

  it('answers 112 for an unrecoverable position when the client asks for it (flag 2)', async () => {
    await waitFor('earlier clients gone', () => node.node.ctx.hub.connections === 0);
    for (let i = 0; i < 10; i++) await node.api('publish', { channel: 'hist:a', data: { i } });
    const client = await connect('recoverer');
    client.sendJson(
      { id: 2, subscribe: { channel: 'hist:a', recoverable: true, recover: true, epoch: 'stale', offset: 1, flag: 2 } },
      { id: 3, subscribe: { channel: 'hist:a', recoverable: true, recover: true, epoch: 'stale', offset: 1 } },
    );
    expect((await client.reply(2))['error']).toEqual({ code: 112, message: 'unrecoverable position' });
    const result = (await client.reply(3))['subscribe'] as Record<string, unknown>;
    expect(result).toMatchObject({ recoverable: true, positioned: true, was_recovering: true, offset: 10 });
    expect(result['recovered']).toBeUndefined(); // false is omitted on the wire
    expect(result['publications']).toBeUndefined();
    client.close();
  });
});

import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({
    client: { channel_limit: 2 },
    channel: {
      without_namespace: { allow_subscribe_for_client: true },
      namespaces: [
        { name: 'open', allow_subscribe_for_client: true, allow_publish_for_client: true },
        { name: 'closed' },
      ],
    },
    websocket: { message_size_limit: 4096 },
  });
});
afterAll(() => node.stop());

async function connectedClient(user = 'u1'): Promise<RawClient> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } });
  const reply = await client.reply(1);
  expect(reply['connect']).toBeDefined();
  return client;
}

describe('connect', () => {
  it('advertises ping and pong and returns a client id', async () => {
    const client = await connectedClient();
    const result = (await client.reply(1))['connect'] as Record<string, unknown>;
    expect(result).toMatchObject({ ping: 25, pong: true });
    expect(typeof result['client']).toBe('string');
    expect(typeof result['version']).toBe('string');
    client.close();
  });

  // centrifuge client.go handleCommandDispatchError: a refused connect gets its error reply, then the client is
  // marked unusable and the next command closes it with 3501.
  it('answers an expired token with error 109, then refuses any further command with 3501', async () => {
    const client = await RawClient.open(node.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'u' }, { expInSeconds: -10 }) } });
    expect((await client.reply(1))['error']).toEqual({ code: 109, message: 'token expired' });
    client.sendJson({ id: 2, connect: { token: await hs256Token({ sub: 'u' }) } });
    expect((await client.closed()).code).toBe(3501);
  });

  const badTokens: Array<[string, () => Promise<string>]> = [
    ['signed with the wrong key', () => hs256Token({ sub: 'u' }, { secret: 'another-secret-of-enough-length!!' })],
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.`,
    ],
    [
      'HS256 signed with an RSA public key as secret',
      async () => {
        const { publicKey } = await generateKeyPair('RS256');
        const pem = await exportSPKI(publicKey);
        return new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem));
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ];
  it.each(badTokens)('disconnects with 3500 for a token %s', async (_name, make) => {
    const client = await RawClient.open(node.wsUrl);
    client.sendJson({ id: 1, connect: { token: await make() } });
    expect(await client.closed()).toEqual({ code: 3500, reason: 'invalid token' });
  });

  it('disconnects with 3501 when a connection has no token and anonymous connections are off', async () => {
    const client = await RawClient.open(node.wsUrl);
    client.sendJson({ id: 1, connect: {} });
    expect((await client.closed()).code).toBe(3501);
  });
});

describe('bad or out-of-order commands disconnect with 3501', () => {
  const cases: Array<[string, (c: RawClient) => void]> = [
    ['invalid JSON', (c) => c.send('{"id":1,')],
    ['a JSON array', (c) => c.send('[1,2]')],
    ['a field of the wrong type', (c) => c.send('{"id":1,"connect":{"token":42}}')],
    ['a command before connect', (c) => c.sendJson({ id: 1, subscribe: { channel: 'x' } })],
    ['a command without id', (c) => c.sendJson({ connect: {} })],
    ['the legacy ping command', (c) => c.sendJson({ id: 1, ping: {} })],
  ];
  it.each(cases)('%s', async (_name, send) => {
    const client = await RawClient.open(node.wsUrl);
    send(client);
    expect(await client.closed()).toEqual({ code: 3501, reason: expect.any(String) });
  });

  it('a second connect', async () => {
    const client = await connectedClient();
    client.sendJson({ id: 2, connect: {} });
    expect((await client.closed()).code).toBe(3501);
  });

  it('invalid protobuf', async () => {
    const client = await RawClient.open(node.wsUrl, 'centrifuge-protobuf');
    client.send(Buffer.from([0x05, 0xff, 0xff, 0xff])); // length 5, only 3 bytes follow
    expect((await client.closed()).code).toBe(3501);
  });

  it('subscribe without a channel', async () => {
    const client = await connectedClient();
    client.sendJson({ id: 2, subscribe: {} });
    expect((await client.closed()).code).toBe(3501);
  });
});

describe('command errors', () => {
  it('102 unknown namespace, 103 permission denied, 105 already subscribed, 107 too long', async () => {
    const client = await connectedClient();
    client.sendJson(
      { id: 2, subscribe: { channel: 'nope:x' } },
      { id: 3, subscribe: { channel: 'closed:x' } },
      { id: 4, subscribe: { channel: 'open:x' } },
      { id: 5, subscribe: { channel: 'open:x' } },
      { id: 6, subscribe: { channel: 'open:' + 'x'.repeat(300) } },
      { id: 7, subscribe: { channel: '$private' } },
    );
    expect((await client.reply(2))['error']).toEqual({ code: 102, message: 'unknown channel' });
    expect((await client.reply(3))['error']).toEqual({ code: 103, message: 'permission denied' });
    expect((await client.reply(4))['subscribe']).toEqual({});
    expect((await client.reply(5))['error']).toEqual({ code: 105, message: 'already subscribed' });
    expect((await client.reply(6))['error']).toEqual({ code: 107, message: 'bad request' });
    expect((await client.reply(7))['error']).toEqual({ code: 103, message: 'permission denied' });
    client.close();
  });

  it('publish: 103 without permission, 107 without data, ok with permission', async () => {
    const client = await connectedClient();
    client.sendJson(
      { id: 2, publish: { channel: 'closed:x', data: { a: 1 } } },
      { id: 3, publish: { channel: 'open:x' } },
      { id: 4, publish: { channel: 'open:x', data: { a: 1 } } },
    );
    expect((await client.reply(2))['error']).toEqual({ code: 103, message: 'permission denied' });
    expect((await client.reply(3))['error']).toEqual({ code: 107, message: 'bad request' });
    expect((await client.reply(4))['publish']).toEqual({});
    client.close();
  });

  // centrifuge client.go: no RPC handler → ErrorNotAvailable (108); no message handler for send →
  // DisconnectNotAvailable (3508), so the client learns its messages go nowhere.
  it('rpc answers 108 without rpc.ping; send closes with 3508', async () => {
    const client = await connectedClient();
    client.sendJson({ id: 2, rpc: { method: 'm', data: {} } });
    expect((await client.reply(2))['error']).toEqual({ code: 108, message: 'not available' });
    client.sendJson({ send: { data: { a: 1 } } });
    expect(await client.closed()).toEqual({ code: 3508, reason: 'not available' });
  });

  // centrifuge client.go validateSubscribeRequest: past client.channel_limit a client subscribe answers
  // ErrorLimitExceeded (106) and the connection lives on; 3505 is only for server-side subscriptions.
  it('a client subscribe past the channel limit answers 106 and keeps the connection', async () => {
    const client = await connectedClient();
    client.sendJson({ id: 2, subscribe: { channel: 'a' } }, { id: 3, subscribe: { channel: 'b' } }, { id: 4, subscribe: { channel: 'c' } });
    expect((await client.reply(4))['error']).toEqual({ code: 106, message: 'limit exceeded' });
    client.sendJson({ id: 5, unsubscribe: { channel: 'a' } }, { id: 6, subscribe: { channel: 'c' } });
    expect((await client.reply(6))['subscribe']).toEqual({});
    expect(client.closeCode).toBeUndefined();
    client.close();
  });
});

describe('frame limits', () => {
  it('closes a connection whose frame exceeds websocket.message_size_limit, others unaffected', async () => {
    const other = await connectedClient('other');
    const client = await RawClient.open(node.wsUrl);
    client.send('x'.repeat(10_000));
    const { code } = await client.closed();
    expect(code).toBe(1006);
    other.sendJson({ id: 2, subscribe: { channel: 'open:still' } });
    expect((await other.reply(2))['subscribe']).toEqual({});
    other.close();
  });
});

describe('upgrade', () => {
  it('refuses a browser origin that is not allowed', async () => {
    await expect(RawClient.open(node.wsUrl, undefined, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
  it('selects protobuf by subprotocol and answers with binary frames', async () => {
    const client = await RawClient.open(node.wsUrl, 'centrifuge-protobuf');
    expect(client.ws.protocol).toBe('centrifuge-protobuf');
    client.close();
  });
});

// The same raw client frames against Ringcast and, with CENTRIFUGO_BIN set, against Centrifugo v6: every
// expectation here is Centrifugo's observed behaviour, and the comment above each names where in Centrifugo's
// source (centrifugal/centrifuge client.go, centrifugal/centrifugo internal/client/handler.go) it comes from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { testSecret } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const config = {
  client: { channel_limit: 3, ping_interval: '2s', pong_timeout: '1s' },
  channel: {
    without_namespace: {
      allow_subscribe_for_client: true,
      allow_publish_for_subscriber: true,
      history_size: 100,
      history_ttl: '300s',
      allow_recovery: true,
      allow_history_for_subscriber: true,
    },
    namespaces: [{ name: 'secret' }],
  },
};

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('client frames on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
  });
  afterAll(() => server.stop());

  async function connected(user: string): Promise<{ client: RawClient; clientId: string }> {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } });
    const reply = await client.reply(1);
    return { client, clientId: (reply['connect'] as { client: string }).client };
  }

  // centrifuge client.go dispatchCommand: a command with an id but none of the requests ends in the final
  // `else` branch → DisconnectBadRequest (3501); JSON null leaves the request unset, so `"subscribe":null` too.
  it.each([
    ['{"id":5}', 'an id and no request'],
    ['{"id":3,"subscribe":null}', 'a null subscribe'],
    ['{"id":6,"publish":null}', 'a null publish'],
  ])('%s (%s) closes the connection with 3501', async (frame) => {
    const { client } = await connected('nobody');
    client.send(frame);
    expect((await client.closed()).code).toBe(3501);
  });

  // centrifuge client.go dispatchCommand/isPong: id 0 without send is a pong; one that answers no ping
  // ("unnecessary pong") is DisconnectBadRequest.
  it('a pong that answers no ping closes with 3501', async () => {
    const { client } = await connected('ponger');
    client.send('{}');
    expect((await client.closed()).code).toBe(3501);
  });

  // centrifuge client.go checkPong: only a pong answers a ping; without one the client goes with DisconnectNoPong.
  it('answering every ping keeps the connection; no pong closes with 3012', async () => {
    const { client } = await connected('pinged');
    client.ws.on('message', (data: Buffer) => {
      if (data.toString() === '{}') client.send('{}');
    });
    const { client: silent } = await connected('silent');
    expect((await silent.closed(8000)).code).toBe(3012);
    expect(client.closeCode).toBeUndefined();
    client.close();
  });

  // centrifuge client.go validateSubscribeRequest: past client.channel_limit → ErrorLimitExceeded (106);
  // the connection stays usable.
  it('a client subscribe past client.channel_limit answers 106 and the connection lives on', async () => {
    const { client } = await connected('limits');
    client.sendJson(
      { id: 2, subscribe: { channel: 'l1' } },
      { id: 3, subscribe: { channel: 'l2' } },
      { id: 4, subscribe: { channel: 'l3' } },
      { id: 5, subscribe: { channel: 'l4' } },
    );
    expect((await client.reply(5))['error']).toMatchObject({ code: 106 });
    client.sendJson({ id: 6, unsubscribe: { channel: 'l1' } }, { id: 7, subscribe: { channel: 'l4' } });
    expect((await client.reply(7))['subscribe']).toBeDefined();
    expect(client.closeCode).toBeUndefined();
    client.close();
  });

  // centrifugo handler.go OnSubscribe: jwtverify.ErrInvalidToken → ErrorPermissionDenied (103),
  // ErrTokenExpired → ErrorTokenExpired (109); the connection lives on after both.
  it('a malformed or wrongly signed subscription token answers 103, an expired one 109', async () => {
    const { client } = await connected('subtok');
    const wrongKey = await hs256Token({ sub: 'subtok', channel: '$s1' }, { secret: `${testSecret}-other` });
    const expired = await hs256Token({ sub: 'subtok', channel: '$s3' }, { expInSeconds: -60 });
    client.sendJson(
      { id: 2, subscribe: { channel: '$s1', token: wrongKey } },
      { id: 3, subscribe: { channel: '$s2', token: 'not.a.jwt' } },
      { id: 4, subscribe: { channel: '$s3', token: expired } },
    );
    expect((await client.reply(2))['error']).toMatchObject({ code: 103 });
    expect((await client.reply(3))['error']).toMatchObject({ code: 103 });
    expect((await client.reply(4))['error']).toMatchObject({ code: 109 });
    client.sendJson({ id: 5, subscribe: { channel: '$s4', token: await hs256Token({ sub: 'subtok', channel: '$s4' }) } });
    expect((await client.reply(5))['subscribe']).toBeDefined();
    client.close();
  });

  // centrifugo handler.go OnSubscribe: a valid token for another channel, user or client → DisconnectInvalidToken.
  it.each([
    ['another channel', (_id: string) => ({ sub: 'mismatch', channel: '$other' })],
    ['another user', (_id: string) => ({ sub: 'someone-else', channel: '$mine' })],
    ['another client', (_id: string) => ({ sub: 'mismatch', channel: '$mine', client: 'not-this-client' })],
  ])('a valid subscription token for %s closes with 3500', async (_name, claims) => {
    const { client, clientId } = await connected('mismatch');
    client.sendJson({ id: 2, subscribe: { channel: '$mine', token: await hs256Token(claims(clientId)) } });
    expect((await client.closed()).code).toBe(3500);
  });

  it('a subscription token naming this client is accepted', async () => {
    const { client, clientId } = await connected('own-client');
    client.sendJson({ id: 2, subscribe: { channel: '$mine', token: await hs256Token({ sub: 'own-client', channel: '$mine', client: clientId }) } });
    expect((await client.reply(2))['subscribe']).toBeDefined();
    client.close();
  });

  // centrifuge client.go isStreamRecovered / node.go history: an empty epoch matches any epoch, so
  // recover from offset 0 with no epoch returns the whole retained stream.
  it('recover with offset 0 and an empty epoch recovers the stream from its start', async () => {
    for (let i = 1; i <= 3; i++) await server.api('publish', { channel: 'rec-empty-epoch', data: { i } });
    const { client } = await connected('recoverer');
    client.sendJson({ id: 2, subscribe: { channel: 'rec-empty-epoch', recoverable: true, recover: true, offset: 0, epoch: '' } });
    const result = (await client.reply(2))['subscribe'] as Record<string, unknown>;
    expect(result).toMatchObject({ recoverable: true, positioned: true, recovered: true, was_recovering: true });
    expect((result['publications'] as Array<{ data: unknown }>).map((p) => p.data)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    client.close();
  });

  // Centrifugo limits frames by size (websocket.message_size_limit), not by JSON structure: the protocol
  // decoder keeps data as raw bytes.
  it('a publication nested 10,000 levels deep (within the size limit) is accepted and delivered byte for byte', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const { client: subscriber } = await connected('deep-sub');
    subscriber.sendJson({ id: 2, subscribe: { channel: 'deep' } });
    await subscriber.reply(2);
    const { client: publisher } = await connected('deep-pub');
    publisher.sendJson({ id: 2, subscribe: { channel: 'deep' } });
    await publisher.reply(2);
    publisher.send(`{"id":3,"publish":{"channel":"deep","data":${deep}}}`);
    expect((await publisher.reply(3))['publish']).toEqual({});
    const frame = await waitFor('deep publication', () => subscriber.messages.find((m) => m.includes('"pub"')));
    expect(frame).toContain(`"data":${deep}`);
    subscriber.close();
    publisher.close();
  });
});

// Token refresh, subscription options and command edge values, side by side with Centrifugo (CENTRIFUGO_BIN).
// Comments name where in centrifugal/centrifuge client.go or centrifugo internal/ each expectation comes from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const config = {
  channel: {
    without_namespace: {
      allow_subscribe_for_client: true,
      allow_publish_for_subscriber: true,
      history_size: 10,
      history_ttl: '60s',
      presence: true,
      allow_presence_for_subscriber: true,
      allow_history_for_subscriber: true,
    },
    namespaces: [
      { name: 'plain', allow_subscribe_for_client: true, allow_publish_for_client: true },
      { name: 'obj', allow_subscribe_for_client: true, allow_publish_for_client: true, publication_data_format: 'json_object' },
      { name: 'rec', allow_subscribe_for_client: true, force_recovery: true, history_size: 10, history_ttl: '60s' },
      { name: 'jl', allow_subscribe_for_client: true, join_leave: true, presence: true },
      { name: 'jlp', allow_subscribe_for_client: true, join_leave: true, presence: true, allow_presence_for_subscriber: true },
    ],
  },
};

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('refresh, sub_refresh and subscribe edges on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
  });
  afterAll(() => server.stop());

  async function connected(token: string, extra: unknown[] = []): Promise<RawClient> {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token } }, ...extra);
    await client.reply(1);
    return client;
  }

  // client.go handleRefresh: RefreshResult holds only expires/ttl; reply.Expired → DisconnectExpired (3005).
  it('refresh answers {expires, ttl}; an expired token closes with 3005', async () => {
    const client = await connected(await hs256Token({ sub: 'r' }, { expInSeconds: 100 }));
    client.sendJson({ id: 2, refresh: { token: await hs256Token({ sub: 'r' }, { expInSeconds: 200 }) } });
    expect(await client.reply(2)).toEqual({ id: 2, refresh: { expires: true, ttl: expect.any(Number) } });
    client.sendJson({ id: 3, refresh: { token: await hs256Token({ sub: 'r' }) } });
    expect(await client.reply(3)).toEqual({ id: 3, refresh: {} });
    client.sendJson({ id: 4, refresh: { token: await hs256Token({ sub: 'r' }, { expInSeconds: -10 }) } });
    expect((await client.closed()).code).toBe(3005);
  });

  // handler.go OnClientConnected/tokenChannelsChanged: a refresh token whose channels differ from the
  // connection's token-made subscriptions → DisconnectInsufficientState (3010).
  it('refresh with a token naming other channels closes with 3010; the same channels refresh', async () => {
    const client = await connected(await hs256Token({ sub: 'tc', channels: ['tc-a'] }, { expInSeconds: 100 }));
    client.sendJson({ id: 2, refresh: { token: await hs256Token({ sub: 'tc', channels: ['tc-a'] }, { expInSeconds: 200 }) } });
    expect(await client.reply(2)).toEqual({ id: 2, refresh: { expires: true, ttl: expect.any(Number) } });
    client.sendJson({ id: 3, refresh: { token: await hs256Token({ sub: 'tc', channels: ['tc-b'] }, { expInSeconds: 200 }) } });
    expect((await client.closed()).code).toBe(3010);
  });

  // handler.go OnRefresh: a token of another user → DisconnectInvalidToken.
  it('refresh with another user\'s token closes with 3500', async () => {
    const client = await connected(await hs256Token({ sub: 'r2' }, { expInSeconds: 100 }));
    client.sendJson({ id: 2, refresh: { token: await hs256Token({ sub: 'someone' }, { expInSeconds: 200 }) } });
    expect((await client.closed()).code).toBe(3500);
  });

  // client.go handleSubRefresh: not subscribed → 103; empty token → 107; token expire_at in the past → 110.
  it('sub_refresh answers 103 when not subscribed, 107 without a token, 110 for expire_at in the past', async () => {
    const token = await hs256Token({ sub: 's', channel: '$s' }, { expInSeconds: 100 });
    const client = await connected(await hs256Token({ sub: 's' }), [{ id: 2, subscribe: { channel: '$s', token } }]);
    await client.reply(2);
    client.sendJson(
      { id: 3, sub_refresh: { channel: '$other', token } },
      { id: 4, sub_refresh: { channel: '$s', token: '' } },
      { id: 5, sub_refresh: { channel: '$s', token: await hs256Token({ sub: 's', channel: '$s', expire_at: 1000 }) } },
      { id: 6, sub_refresh: { channel: '$s', token: await hs256Token({ sub: 's', channel: '$s' }, { expInSeconds: 300 }) } },
    );
    expect((await client.reply(3))['error']).toMatchObject({ code: 103 });
    expect((await client.reply(4))['error']).toMatchObject({ code: 107 });
    expect((await client.reply(5))['error']).toMatchObject({ code: 110 });
    expect(await client.reply(6)).toEqual({ id: 6, sub_refresh: { expires: true, ttl: expect.any(Number) } });
    client.close();
  });

  // jwtverify VerifySubscribeToken: a token channel of an unknown namespace → 102; client.go subscribeCmd: a
  // token expire_at already past → ErrorExpired (110); handler.go OnSubRefresh: a token for another channel → 3500.
  it('subscription tokens: unknown namespace 102, expire_at past 110; sub_refresh for another channel 3500', async () => {
    const client = await connected(await hs256Token({ sub: 't' }), [
      { id: 2, subscribe: { channel: '$x', token: await hs256Token({ sub: 't', channel: 'zz:x' }) } },
      { id: 3, subscribe: { channel: '$y', token: await hs256Token({ sub: 't', channel: '$y', expire_at: 1000 }) } },
      { id: 4, subscribe: { channel: '$z', token: await hs256Token({ sub: 't', channel: '$z' }) } },
    ]);
    expect((await client.reply(2))['error']).toMatchObject({ code: 102 });
    expect((await client.reply(3))['error']).toMatchObject({ code: 110 });
    await client.reply(4);
    client.sendJson({ id: 5, sub_refresh: { channel: '$z', token: await hs256Token({ sub: 't', channel: '$other' }) } });
    expect((await client.closed()).code).toBe(3500);
  });

  // handler.go OnSubscribe: a subscription token's override replaces the namespace options and its data
  // comes back in the subscribe result.
  it('a subscription token\'s override and data apply to the subscription', async () => {
    const token = await hs256Token({ sub: 'o', channel: '$o', override: { presence: { value: false } }, data: { welcome: 1 } });
    const client = await connected(await hs256Token({ sub: 'o' }), [{ id: 2, subscribe: { channel: '$o', token } }]);
    expect(await client.reply(2)).toEqual({ id: 2, subscribe: { data: { welcome: 1 } } });
    const stats = (await server.api('presence_stats', { channel: '$o' })).json;
    expect(stats).toEqual({ result: { num_clients: 0, num_users: 0 } });
    client.close();
  });

  // config format.go ValidatePublicationData: json_object refuses other JSON with 107 (client and API alike).
  it('publication_data_format json_object refuses an array from a client and from the API', async () => {
    const client = await connected(await hs256Token({ sub: 'p' }));
    client.sendJson({ id: 2, publish: { channel: 'obj:x', data: [1, 2] } }, { id: 3, publish: { channel: 'obj:x', data: { ok: true } } });
    expect((await client.reply(2))['error']).toMatchObject({ code: 107 });
    expect(await client.reply(3)).toEqual({ id: 3, publish: {} });
    expect((await server.api('publish', { channel: 'obj:x', data: [1] })).json).toMatchObject({ error: { code: 107 } });
    client.close();
  });

  // centrifuge node.go pubToProto: stream publications carry their epoch, live and in client history.
  it('stream publications carry their epoch, live and in client history', async () => {
    const client = await connected(await hs256Token({ sub: 'e' }), [{ id: 2, subscribe: { channel: 'epochs' } }]);
    await client.reply(2);
    const epoch = ((await server.api('publish', { channel: 'epochs', data: { n: 1 } })).json as { result: { epoch: string } }).result.epoch;
    const push = await waitFor('publication', () => client.replies().find((r) => (r['push'] as { pub?: unknown } | undefined)?.pub));
    expect(push).toEqual({ push: { channel: 'epochs', pub: { data: { n: 1 }, offset: 1, epoch } } });
    client.sendJson({ id: 3, history: { channel: 'epochs', limit: 1 } });
    expect(await client.reply(3)).toEqual({ id: 3, history: { publications: [{ data: { n: 1 }, offset: 1, epoch }], epoch, offset: 1 } });
    client.close();
  });

  // handler.go OnSubscribe: join_leave pushes only for a client that may read the channel's presence.
  it('join_leave pushes reach only subscribers with presence access', async () => {
    const noAccess = await connected(await hs256Token({ sub: 'j1' }), [{ id: 2, subscribe: { channel: 'jl:room', join_leave: true } }]);
    const withAccess = await connected(await hs256Token({ sub: 'j2' }), [{ id: 2, subscribe: { channel: 'jlp:room', join_leave: true } }]);
    await noAccess.reply(2);
    await withAccess.reply(2);
    const joiner = await connected(await hs256Token({ sub: 'j3' }), [
      { id: 2, subscribe: { channel: 'jl:room' } },
      { id: 3, subscribe: { channel: 'jlp:room' } },
    ]);
    await joiner.reply(3);
    await waitFor('join push', () => withAccess.replies().some((r) => (r['push'] as { join?: unknown } | undefined)?.join));
    noAccess.sendJson({ id: 3, presence_stats: { channel: 'jl:room' } });
    await noAccess.reply(3);
    expect(noAccess.replies().filter((r) => r['push'])).toEqual([]);
    for (const c of [noAccess, withAccess, joiner]) c.close();
  });

  // centrifuge client.go dispatchCommand/handleSend: send without a message handler → DisconnectNotAvailable.
  it('send closes with 3508 when nothing handles asynchronous messages', async () => {
    const client = await connected(await hs256Token({ sub: 'send' }));
    client.sendJson({ send: { data: {} } });
    expect(await client.closed()).toEqual({ code: 3508, reason: 'not available' });
  });

  // centrifuge client.go: unsubscribe from a channel one does not have answers {}; a duplicate subscribe 105.
  it('unsubscribe of an unknown channel answers {}; a duplicate subscribe answers 105', async () => {
    const client = await connected(await hs256Token({ sub: 'u' }), [{ id: 2, subscribe: { channel: 'dup' } }, { id: 3, subscribe: { channel: 'dup' } }]);
    expect((await client.reply(3))['error']).toMatchObject({ code: 105 });
    client.sendJson({ id: 4, unsubscribe: { channel: 'never-had' } });
    expect(await client.reply(4)).toEqual({ id: 4, unsubscribe: {} });
    client.close();
  });
});

// The same server API calls against Ringcast and, with CENTRIFUGO_BIN set, against Centrifugo v6; comments name
// the place in Centrifugo's source (internal/api, internal/apiproto, internal/middleware) each expectation follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { testApiKey } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const config = {
  channel: {
    without_namespace: { allow_subscribe_for_client: true, allow_history_for_subscriber: true, history_size: 500, history_ttl: '300s' },
    namespaces: [{ name: 'plain' }, { name: 'pres', presence: true }],
  },
};

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('server API on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
  });
  afterAll(() => server.stop());

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers, body });
    await res.arrayBuffer();
    return res.status;
  }

  // api/handler_gen.go handleBatch writes the BatchResponse itself: {"replies": [...]} at the top level;
  // api.go processCmd answers a command naming no method with 104 and a null one with 107.
  it('batch answers {"replies": [...]} at the top level', async () => {
    const res = await server.api('batch', {
      commands: [{ publish: { channel: 'b', data: { x: 1 } } }, { no_such_method: {} }, null, { info: {} }],
    });
    expect(res.status).toBe(200);
    const body = res.json as { replies: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(['replies']);
    expect(body.replies[0]).toHaveProperty('publish.offset', expect.any(Number));
    expect(body.replies[1]).toEqual({ error: { code: 104, message: 'not found' } });
    expect(body.replies[2]).toMatchObject({ error: { code: 107 } });
    expect(body.replies[3]).toHaveProperty('info.nodes');
  });

  // middleware/auth.go: X-API-Key, then "Authorization: apikey <key>", then the api_key query parameter.
  it('accepts the API key as the api_key query parameter', async () => {
    const body = JSON.stringify({ channel: 'q', data: {} });
    expect(await post(`/api/publish?api_key=${testApiKey}`, body)).toBe(200);
    expect(await post(`/api/publish?api_key=wrong`, body)).toBe(401);
    expect(await post(`/api/publish?api_key=${testApiKey}`, body, { 'X-API-Key': 'wrong' })).toBe(200);
    expect(await post(`/api/publish`, body, { Authorization: `apikey ${testApiKey} extra` })).toBe(401);
  });

  // memstream Get: a negative limit means no limit; api.go History passes the limit through unchanged.
  it('history with limit -1 returns the whole stream', async () => {
    for (let i = 1; i <= 400; i++) await server.api('publish', { channel: 'h-all', data: { i } });
    const all = (await server.api('history', { channel: 'h-all', limit: -1 })).json as { result: { publications: unknown[]; offset: number } };
    expect(all.result.publications).toHaveLength(400);
    expect(all.result.offset).toBe(400);
    const none = (await server.api('history', { channel: 'h-all', limit: 0 })).json as { result: Record<string, unknown> };
    expect(none.result['publications'] ?? []).toEqual([]);
    expect((await server.api('history', { channel: 'h-all', limit: -1, reverse: true })).json).toMatchObject({
      result: { publications: expect.arrayContaining([{ data: { i: 400 }, offset: 400 }]) },
    });
  });

  // client.go handleHistory: a client's negative limit is capped at client.history_max_publication_limit (300).
  it('a client history with limit -1 returns up to client.history_max_publication_limit', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson(
      { id: 1, connect: { token: await hs256Token({ sub: 'historian' }) } },
      { id: 2, subscribe: { channel: 'h-all' } },
    );
    await client.reply(2);
    client.sendJson({ id: 3, history: { channel: 'h-all', limit: -1 } }, { id: 4, history: { channel: 'h-all', limit: 5 } });
    const capped = (await client.reply(3))['history'] as { publications: Array<{ offset: number }>; offset: number };
    expect(capped.publications).toHaveLength(300);
    expect(capped.publications[0]!.offset).toBe(1);
    expect(capped.offset).toBe(400);
    expect(((await client.reply(4))['history'] as { publications: unknown[] }).publications).toHaveLength(5);
    client.close();
  });

  // apiproto decode: a field of the wrong JSON type fails decoding → HTTP 400; api.go refuses an empty
  // channel with ErrorBadRequest in an HTTP 200 body.
  it('a wrong JSON type is HTTP 400; an empty channel is 107 in a 200', async () => {
    expect((await server.api('publish', { channel: 5, data: {} })).status).toBe(400);
    expect(await server.api('publish', { channel: '', data: {} })).toMatchObject({ status: 200, json: { error: { code: 107 } } });
  });

  // handler.go Routes: no route for an unknown method → 404.
  it('an unknown method is HTTP 404', async () => {
    expect((await server.api('no_such_method', {})).status).toBe(404);
  });

  // apiproto MapErrorToHTTPCode in transport error mode.
  it('transport error mode maps 102 → 404, 108 → 400, 112 → 416', async () => {
    const mode = { 'X-Centrifugo-Error-Mode': 'transport' };
    expect((await server.api('publish', { channel: 'nope:x', data: {} }, mode)).status).toBe(404);
    expect((await server.api('presence', { channel: 'plain:x' }, mode)).status).toBe(400);
    await server.api('publish', { channel: 'h-416', data: {} });
    expect((await server.api('history', { channel: 'h-416', since: { offset: 1, epoch: 'other' } }, mode)).status).toBe(416);
  });

  // api.go: presence on a namespace without presence → 108; history with history off → 108.
  it('presence without presence and history without history answer 108', async () => {
    expect((await server.api('presence', { channel: 'plain:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await server.api('presence_stats', { channel: 'plain:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await server.api('history', { channel: 'plain:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await server.api('history_remove', { channel: 'plain:x' })).json).toMatchObject({ error: { code: 108 } });
    expect((await server.api('presence', { channel: 'pres:x' })).json).toEqual({ result: { presence: {} } });
  });

  // api.go Publish: a channel without history publishes and answers an empty result (no offset/epoch).
  it('publish into a channel without history answers {}', async () => {
    expect((await server.api('publish', { channel: 'plain:x', data: { a: 1 } })).json).toEqual({ result: {} });
  });

  // Payloads are raw JSON (apiproto.Raw): large integers and deep nesting pass through unchanged.
  it('publish keeps payload bytes: integers beyond 2^53 come back from history unchanged', async () => {
    const body = '{"channel":"big","data":{"n":12345678901234567890}}';
    expect((await server.api('publish', body)).status).toBe(200);
    const res = await fetch(`${server.httpUrl}/api/history`, {
      method: 'POST',
      headers: { 'X-API-Key': testApiKey },
      body: '{"channel":"big","limit":1,"reverse":true}',
    });
    expect(await res.text()).toContain('"data":{"n":12345678901234567890}');
  });

  // api.go Subscribe/Unsubscribe: an unknown namespace is 102; subscribing a user pushes subscribe.
  it('subscribe and unsubscribe reach the user; unknown namespaces answer 102', async () => {
    expect((await server.api('subscribe', { user: 'u', channel: 'nope:x' })).json).toMatchObject({ error: { code: 102 } });
    expect((await server.api('unsubscribe', { user: 'u', channel: 'nope:x' })).json).toMatchObject({ error: { code: 102 } });
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'api-target' }) } });
    await client.reply(1);
    await server.api('publish', { channel: 'srv-sub', data: { before: true } });
    expect((await server.api('subscribe', { user: 'api-target', channel: 'srv-sub', data: { hello: 1 } })).json).toEqual({ result: {} });
    const push = await waitFor('subscribe push', () =>
      client.replies().find((r) => (r['push'] as Record<string, unknown> | undefined)?.['subscribe']),
    );
    expect(push['push']).toEqual({ channel: 'srv-sub', subscribe: { data: { hello: 1 } } });
    client.close();
  });
});

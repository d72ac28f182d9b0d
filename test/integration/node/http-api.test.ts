import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, testApiKey, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({
    channel: { without_namespace: { allow_subscribe_for_client: true }, namespaces: [{ name: 'ns' }] },
    ringcast: { http_api: { max_request_body_size: 2048 } },
  });
});
afterAll(() => node.stop());

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${node.httpUrl}${path}`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

async function subscribedClient(user: string, channel: string): Promise<RawClient> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } }, { id: 2, subscribe: { channel } });
  await client.reply(2);
  return client;
}

function pushes(client: RawClient): Array<Record<string, unknown>> {
  return client.replies().filter((r) => r['push']).map((r) => r['push'] as Record<string, unknown>);
}

describe('authentication', () => {
  it('accepts the key in X-API-Key and in Authorization: apikey', async () => {
    const body = JSON.stringify({ channel: 'a', data: {} });
    expect((await post('/api/publish', body, { 'X-API-Key': testApiKey })).status).toBe(200);
    expect((await post('/api/publish', body, { Authorization: `apikey ${testApiKey}` })).status).toBe(200);
  });
  it('refuses a missing or wrong key with 401', async () => {
    const body = JSON.stringify({ channel: 'a', data: {} });
    expect((await post('/api/publish', body)).status).toBe(401);
    expect((await post('/api/publish', body, { 'X-API-Key': 'wrong' })).status).toBe(401);
    expect((await post('/api/publish', body, { Authorization: 'apikey wrong' })).status).toBe(401);
  });
});

describe('bad input', () => {
  // Centrifugo mounts one route per method: an unknown one is HTTP 404 in either error mode.
  it('unknown methods answer HTTP 404 with error 104', async () => {
    expect(await node.api('no_such_method', {})).toEqual({ status: 404, json: { error: { code: 104, message: 'not found' } } });
    expect(await node.api('no_such_method', {}, { 'X-Centrifugo-Error-Mode': 'transport' })).toMatchObject({ status: 404 });
  });
  it('a body that is not JSON answers 400', async () => {
    const res = await node.api('publish', '{"channel":');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 107 } });
  });
  it('a body over the limit answers 413 and the node keeps serving', async () => {
    const res = await node.api('publish', JSON.stringify({ channel: 'a', data: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect((await node.api('info', {})).status).toBe(200);
  });
  // Centrifugo's request decoder refuses a field of the wrong JSON type with HTTP 400 before the method runs;
  // a value its method refuses (empty channel) is error 107 in an HTTP 200 body.
  it('wrong parameter types answer HTTP 400 naming the field; refused values answer 107', async () => {
    expect(await node.api('publish', { channel: 5, data: {} })).toEqual({
      status: 400,
      json: { error: { code: 107, message: 'bad request: channel: expected a string' } },
    });
    expect(await node.api('publish', [1, 2])).toMatchObject({ status: 400, json: { error: { code: 107 } } });
    expect(await node.api('publish', { channel: '', data: {} })).toMatchObject({ status: 200, json: { error: { code: 107 } } });
  });
  // apiproto MapErrorToHTTPCode: 102 and 104 → 404, 107 and 108 → 400, 112 → 416, 100 and the rest → 500.
  it('unknown namespaces answer 102; transport mode turns errors into Centrifugo\'s HTTP statuses', async () => {
    expect((await node.api('publish', { channel: 'nope:x', data: {} })).json).toEqual({ error: { code: 102, message: 'unknown channel' } });
    const transport = await node.api('publish', { channel: 'nope:x', data: {} }, { 'X-Centrifugo-Error-Mode': 'transport' });
    expect(transport).toEqual({ status: 404, json: { code: 102, message: 'unknown channel' } });
    const bad = await node.api('publish', { channel: '', data: {} }, { 'X-Centrifugo-Error-Mode': 'transport' });
    expect(bad).toEqual({ status: 400, json: { code: 107, message: 'bad request: channel required' } });
  });
});

describe('methods', () => {
  it('broadcast publishes to every channel and reports per channel', async () => {
    const a = await subscribedClient('bc-a', 'bc1');
    const b = await subscribedClient('bc-b', 'bc2');
    const res = await node.api('broadcast', { channels: ['bc1', 'bc2', 'nope:x'], data: { n: 1 } });
    expect(res.json).toEqual({
      result: { responses: [{ result: {} }, { result: {} }, { error: { code: 102, message: 'unknown channel' } }] },
    });
    await waitFor('both deliveries', () => pushes(a).length === 1 && pushes(b).length === 1);
    expect(pushes(a)[0]).toEqual({ channel: 'bc1', pub: { data: { n: 1 } } });
    a.close();
    b.close();
  });

  it('batch runs commands in order and answers each', async () => {
    const client = await subscribedClient('batch', 'batch-ch');
    const res = await node.api('batch', {
      commands: [
        { publish: { channel: 'batch-ch', data: { i: 1 } } },
        { publish: { channel: 'batch-ch', data: { i: 2 } } },
        { nope: {} },
        { publish: { channel: 'batch-ch' } },
      ],
    });
    // Centrifugo's BatchResponse is the answer itself: `replies` at the top level, not under `result`.
    expect(res.json).toEqual({
      replies: [
        { publish: {} },
        { publish: {} },
        { error: { code: 104, message: 'not found' } },
        { error: { code: 107, message: 'bad request: data does not match publication_data_format' } },
      ],
    });
    await waitFor('two publications', () => pushes(client).length === 2);
    expect(pushes(client).map((p) => (p['pub'] as { data: unknown }).data)).toEqual([{ i: 1 }, { i: 2 }]);
    client.close();
  });

  it('batch passes every command\'s data on byte for byte, wherever it sits in the batch', async () => {
    const client = await subscribedClient('batch-raw', 'batch-raw');
    const data = (i: number): string => `{"i": ${i}, "big": 1234567890123456789${i}}`;
    const body = `{"commands": [{"publish": {"channel": "batch-raw", "data": ${data(0)}}}, 7,
      {"publish": {"data": ${data(2)}, "channel": "batch-raw"}}, {"publish": {"channel": "batch-raw", "data": ${data(3)}}}]}`;
    const res = await post('/api/batch', body, { 'X-API-Key': testApiKey });
    expect(res.status).toBe(200);
    await waitFor('three publications', () => pushes(client).length === 3);
    const text = client.messages.join('\n');
    for (const i of [0, 2, 3]) expect(text).toContain(data(i));
    client.close();
  });

  it('subscribe and unsubscribe a user server-side with pushes', async () => {
    const client = await subscribedClient('srv', 'srv-own');
    expect((await node.api('subscribe', { user: 'srv', channel: 'srv-extra' })).json).toEqual({ result: {} });
    await waitFor('subscribe push', () => pushes(client).some((p) => p['subscribe']));
    await node.api('publish', { channel: 'srv-extra', data: { via: 'server-side' } });
    await waitFor('publication', () => pushes(client).some((p) => p['pub']));
    expect((await node.api('unsubscribe', { user: 'srv', channel: 'srv-extra' })).json).toEqual({ result: {} });
    await waitFor('unsubscribe push', () => pushes(client).some((p) => p['unsubscribe']));
    expect(pushes(client).find((p) => p['unsubscribe'])).toEqual({
      channel: 'srv-extra',
      unsubscribe: { code: 2000, reason: 'server unsubscribe' },
    });
    client.close();
  });

  it('disconnect honours a custom code and the whitelist', async () => {
    const keep = await subscribedClient('dis', 'd1');
    const drop = await subscribedClient('dis', 'd2');
    const keepId = ((await keep.reply(1))['connect'] as { client: string }).client;
    await node.api('disconnect', { user: 'dis', whitelist: [keepId], disconnect: { code: 4501, reason: 'go away' } });
    expect(await drop.closed()).toEqual({ code: 4501, reason: 'go away' });
    expect(keep.closeCode).toBeUndefined();
    keep.close();
  });

  it('refresh with expired:true disconnects with 3005', async () => {
    const client = await subscribedClient('exp', 'e1');
    await node.api('refresh', { user: 'exp', expired: true });
    expect((await client.closed()).code).toBe(3005);
  });

  it('info and channels describe this node', async () => {
    const client = await subscribedClient('info-user', 'inforoom');
    const info = (await node.api('info', {})).json as { result: { nodes: Array<Record<string, unknown>> } };
    expect(info.result.nodes).toHaveLength(1);
    expect(info.result.nodes[0]).toMatchObject({ num_clients: expect.any(Number), version: expect.any(String) });
    expect((info.result.nodes[0]!['num_clients'] as number) >= 1).toBe(true);
    const channels = (await node.api('channels', { pattern: 'info*' })).json;
    expect(channels).toEqual({ result: { channels: { inforoom: { num_clients: 1 } } } });
    client.close();
  });

  it('the legacy /api endpoint runs newline-delimited commands', async () => {
    const client = await subscribedClient('legacy', 'legacy-ch');
    const body = [
      JSON.stringify({ method: 'publish', params: { channel: 'legacy-ch', data: { l: 1 } } }),
      'not json',
      JSON.stringify({ method: 'info', params: {} }),
    ].join('\n');
    const res = await post('/api', body, { Authorization: `apikey ${testApiKey}` });
    const lines = res.text.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ result: {} });
    expect(lines[1]).toMatchObject({ error: { code: 107 } });
    expect(lines[2]).toHaveProperty('result.nodes');
    await waitFor('legacy publication', () => pushes(client).length === 1);
    client.close();
  });
});

describe('operations', () => {
  it('/health answers {} and /metrics exposes the node metrics', async () => {
    expect(await (await fetch(`${node.httpUrl}/health`)).text()).toBe('{}');
    const metrics = await (await fetch(`${node.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ringcast_node_connections \d+$/m);
    expect(metrics).toContain('ringcast_transport_messages_sent_total{transport="websocket"}');
    expect(metrics).toContain('ringcast_client_command_duration_seconds_bucket');
    expect(metrics).toContain('ringcast_api_command_duration_seconds_bucket');
    expect(metrics).toContain('process_resident_memory_bytes');
  });
});

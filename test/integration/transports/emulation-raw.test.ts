import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';
import { emulate, RawStream, type Message } from './raw-stream.js';

// HTTP-streaming and emulation at the frame level: what the connect reply carries, how POST /emulation
// answers, CORS, pongs through emulation, slow readers and the disconnect push.

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({
    http_stream: { enabled: true },
    sse: { enabled: true },
    emulation: { max_request_body_size: 2048 },
    client: { ping_interval: '1s', pong_timeout: '900ms', queue_max_size: 65536, allowed_origins: ['https://app.example'] },
    channel: { without_namespace: { allow_subscribe_for_client: true } },
  });
});
afterAll(() => node?.stop());

async function openStream(user: string, headers: Record<string, string> = {}): Promise<{ stream: RawStream; connect: Message }> {
  const token = await hs256Token({ sub: user });
  const stream = await RawStream.open(`${node.httpUrl}/connection/http_stream`, {
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ id: 1, connect: { token } }),
  });
  const reply = await stream.reply(1);
  return { stream, connect: reply['connect'] as Message };
}

const target = (connect: Message): { node: string; session: string } => ({
  node: connect['node'] as string,
  session: connect['session'] as string,
});

describe('http_stream and /emulation', () => {
  it('carries session and node in the connect reply; commands posted to /emulation are answered on the stream', async () => {
    const { stream, connect } = await openStream('raw-a');
    expect(stream.status).toBe(200);
    expect(stream.res.headers['content-type']).toContain('application/json');
    expect(stream.res.headers['cache-control']).toContain('no-store');
    expect(connect).toMatchObject({ ping: 1, pong: true, node: node.node.ctx.nodeId });
    expect(connect['session']).toMatch(/[0-9a-f-]{36}/);
    expect(connect['session']).not.toBe(connect['client']);

    expect(await emulate(node.httpUrl, target(connect), [{ id: 2, subscribe: { channel: 'raw' } }, { id: 3, presence_stats: { channel: 'raw' } }])).toBe(204);
    expect(await stream.reply(2)).toEqual({ id: 2, subscribe: {} });
    expect((await stream.reply(3))['error']).toMatchObject({ code: 108 });
    await node.api('publish', { channel: 'raw', data: { via: 'api' } });
    expect(await stream.message('publication', (m) => m['push'] !== undefined)).toEqual({
      push: { channel: 'raw', pub: { data: { via: 'api' } } },
    });
    stream.destroy();
  });

  it('answers 404 for an unknown node, 204 for a gone session, 400 for a malformed body, 413 past the limit', async () => {
    const { stream, connect } = await openStream('raw-b');
    expect(await emulate(node.httpUrl, { ...target(connect), node: 'another-node' }, [{ id: 2, subscribe: { channel: 'x' } }])).toBe(404);
    expect(await emulate(node.httpUrl, { ...target(connect), session: 'no-such-session' }, [{}])).toBe(204);
    const bad = await fetch(`${node.httpUrl}/emulation`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"node":' });
    expect(bad.status).toBe(400);
    const large = await fetch(`${node.httpUrl}/emulation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...target(connect), data: 'x'.repeat(4096) }),
    });
    expect(large.status).toBe(413);
    const get = await fetch(`${node.httpUrl}/emulation`);
    expect(get.status).toBe(405);

    // The session still works after all that, and once it has closed its id is simply gone (204).
    expect(await emulate(node.httpUrl, target(connect), [{ id: 2, subscribe: { channel: 'still' } }])).toBe(204);
    await stream.reply(2);
    stream.destroy();
    await waitFor('session released', () => node.node.ctx.hub.userSessions('raw-b') === undefined);
    expect(await emulate(node.httpUrl, target(connect), [{ id: 3, subscribe: { channel: 'x' } }])).toBe(204);
  });

  it('keeps a client that pongs through /emulation and disconnects one that does not with a 3012 push', async () => {
    const ponging = await openStream('raw-pong');
    const silent = await openStream('raw-silent');
    let pongs = 0;
    for (let seen = 0; pongs < 3; ) {
      const pings = await waitFor('ping', () => {
        const n = ponging.stream.messages().filter((m) => Object.keys(m).length === 0).length;
        return n > seen ? n : 0;
      });
      seen = pings;
      expect(await emulate(node.httpUrl, target(ponging.connect), [{}])).toBe(204);
      pongs++;
    }
    await silent.stream.end();
    expect(silent.stream.messages().at(-1)).toEqual({ push: { disconnect: { code: 3012, reason: 'no pong' } } });
    expect(ponging.stream.ended).toBe(false);
    expect(ponging.stream.messages().some((m) => m['push'] && (m['push'] as Message)['disconnect'])).toBe(false);
    ponging.stream.destroy();
  });

  it('drops a client that stops reading with 3008 (slow) instead of buffering without bound', async () => {
    const { stream, connect } = await openStream('raw-slow');
    expect(await emulate(node.httpUrl, target(connect), [{ id: 2, subscribe: { channel: 'firehose' } }])).toBe(204);
    await stream.reply(2);
    stream.pause(); // kernel buffers fill, then uWS's, then the transport's own queue
    const payload = { blob: 'x'.repeat(100_000) };
    for (let i = 0; i < 300 && node.node.ctx.hub.userSessions('raw-slow') !== undefined; i++) {
      await node.api('publish', { channel: 'firehose', data: payload });
    }
    await waitFor('slow client dropped', () => node.node.ctx.hub.userSessions('raw-slow') === undefined);
    expect(await node.node.ctx.metrics.registry.getSingleMetricAsString('ringcast_client_disconnects_total')).toMatch(/code="3008"\} [1-9]/);
    stream.resume();
    await stream.end(10_000);
  });

  it('frees the session when the client goes away', async () => {
    const { stream } = await openStream('raw-gone');
    expect(node.node.ctx.hub.userSessions('raw-gone')?.size).toBe(1);
    stream.destroy();
    await waitFor('session released', () => node.node.ctx.hub.userSessions('raw-gone') === undefined);
  });
});

describe('CORS and origins', () => {
  it('answers preflights for allowed origins and refuses others', async () => {
    const preflight = await fetch(`${node.httpUrl}/emulation`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const evil = await fetch(`${node.httpUrl}/connection/http_stream`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('streams to an allowed cross-origin page with CORS headers and refuses a foreign origin with 403', async () => {
    const { stream } = await openStream('cors-ok', { Origin: 'https://app.example' });
    expect(stream.res.headers['access-control-allow-origin']).toBe('https://app.example');
    stream.destroy();

    const refused = await RawStream.open(`${node.httpUrl}/connection/http_stream`, {
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ id: 1, connect: { token: await hs256Token({ sub: 'cors-no' }) } }),
    });
    expect(refused.status).toBe(403);
    const sse = await fetch(`${node.httpUrl}/connection/sse?cf_connect=%7B%7D`, { headers: { Origin: 'https://evil.example' } });
    expect(sse.status).toBe(403);
  });
});

describe('sse', () => {
  it('answers 400 without a connect command, and streams data: events with the connect reply', async () => {
    expect((await fetch(`${node.httpUrl}/connection/sse`)).status).toBe(400);
    const connect = JSON.stringify({ id: 1, connect: { token: await hs256Token({ sub: 'sse-raw' }) } });
    const stream = await RawStream.open(`${node.httpUrl}/connection/sse?cf_connect=${encodeURIComponent(connect)}`, { method: 'GET' });
    expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await waitFor('connect event', () => stream.text.includes('\n\n'));
    const event = stream.text.split('\n').find((l) => l.startsWith('data: '))!;
    expect(JSON.parse(event.slice('data: '.length))).toMatchObject({ id: 1, connect: { node: node.node.ctx.nodeId } });
    stream.destroy();
  });
});

describe('defaults and shutdown', () => {
  it('serves only the WebSocket transport unless the others are enabled', async () => {
    const plain = await startTestNode();
    try {
      for (const [method, path] of [
        ['POST', '/connection/http_stream'],
        ['GET', '/connection/sse'],
        ['POST', '/emulation'],
        ['GET', '/connection/uni_sse'],
        ['POST', '/connection/uni_http_stream'],
      ] as const) {
        expect((await fetch(`${plain.httpUrl}${path}`, { method, body: method === 'POST' ? '{}' : undefined })).status, path).toBe(404);
      }
    } finally {
      await plain.stop();
    }
  });

  it('sends a 3001 shutdown push to streaming clients when the node stops', async () => {
    const other = await startTestNode({ http_stream: { enabled: true } });
    const stream = await RawStream.open(`${other.httpUrl}/connection/http_stream`, {
      body: JSON.stringify({ id: 1, connect: { token: await hs256Token({ sub: 'bye' }) } }),
    });
    await stream.reply(1);
    await other.stop();
    await stream.end();
    expect(stream.messages().at(-1)).toEqual({ push: { disconnect: { code: 3001, reason: 'shutdown' } } });
  });
});

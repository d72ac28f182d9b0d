import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// SockJS's own answers, by plain HTTP and WebSocket: greeting, /info, the iframe page, heartbeats, a second
// receiver (2010), an unknown session (404), broken framing, and messages over sockjs.max_message_size.

let node: TestNode;
let base: string;
let counter = 0;

beforeAll(async () => {
  node = await startTestNode({
    client: { ping_interval: '60s', pong_timeout: '10s' },
    sockjs: { enabled: true, heartbeat_delay: '1s', max_message_size: 1024, url: 'http://127.0.0.1:1/sockjs.js' },
    channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true }] },
  });
  base = `${node.httpUrl}/connection/sockjs`;
});

afterAll(async () => {
  await node?.stop();
});

const sessionUrl = (): string => `${base}/000/s${counter++}-${Date.now()}`;
const post = (url: string, body?: string): Promise<Response> => fetch(url, { method: 'POST', ...(body !== undefined ? { body } : {}) });

describe('SockJS endpoint', () => {
  it('greets, answers /info with CORS for the caller, and serves the iframe page with an ETag', async () => {
    const greeting = await fetch(base);
    expect(await greeting.text()).toBe('Welcome to SockJS!\n');
    const info = await fetch(`${base}/info`, { headers: { Origin: 'http://example.test' } });
    expect(info.headers.get('access-control-allow-origin')).toBe('http://example.test');
    expect(info.headers.get('access-control-allow-credentials')).toBe('true');
    expect(info.headers.get('cache-control')).toContain('no-store');
    const body = (await info.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ websocket: true, origins: ['*:*'], cookie_needed: false });
    expect(typeof body['entropy']).toBe('number');
    const preflight = await fetch(`${base}/info`, { method: 'OPTIONS', headers: { Origin: 'http://example.test' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('OPTIONS, GET');

    const iframe = await fetch(`${base}/iframe.html`);
    expect(iframe.status).toBe(200);
    expect(await iframe.text()).toContain('<script src="http://127.0.0.1:1/sockjs.js"></script>');
    const etag = iframe.headers.get('etag')!;
    expect((await fetch(`${base}/iframe-1.6.1.html`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/nothing.html`)).status).toBe(404);
  });

  it('xhr polling: open frame, messages, heartbeat on an idle poll, 2010 for a second receiver', async () => {
    const url = sessionUrl();
    expect(await (await post(`${url}/xhr`)).text()).toBe('o\n');
    const token = await hs256Token({ sub: 'poller' }, { expInSeconds: 3600 });
    const sent = await post(`${url}/xhr_send`, JSON.stringify([JSON.stringify({ id: 1, connect: { token } })]));
    expect(sent.status).toBe(204);
    const frame = await (await post(`${url}/xhr`)).text();
    expect(frame.startsWith('a[')).toBe(true);
    const [reply] = JSON.parse(frame.slice(1)) as string[];
    expect(JSON.parse(reply!)).toMatchObject({ id: 1, connect: { client: expect.any(String) } });

    // Nothing to send: a poll is answered by a heartbeat within heartbeat_delay; a second poll meanwhile gets 2010.
    const answers = await Promise.all([post(`${url}/xhr`), post(`${url}/xhr`)].map(async (poll) => (await poll).text()));
    expect(answers.sort()).toEqual(['c[2010,"Another connection still open"]\n', 'h\n']);
  });

  it('answers an unknown session 404, an empty send "Payload expected." and broken JSON "Broken JSON encoding."', async () => {
    expect((await post(`${base}/000/unknown-session/xhr_send`, '["{}"]')).status).toBe(404);
    const url = sessionUrl();
    await post(`${url}/xhr`);
    const empty = await post(`${url}/xhr_send`, '');
    expect(empty.status).toBe(500);
    expect(await empty.text()).toBe('Payload expected.');
    const broken = await post(`${url}/xhr_send`, '["not closed');
    expect(broken.status).toBe(500);
    expect(await broken.text()).toBe('Broken JSON encoding.');
    expect((await fetch(`${base}/000/a.b/xhr`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses a message over max_message_size on xhr_send (413, session closed 1009) and on WebSocket (close frame 1009)', async () => {
    const url = sessionUrl();
    await post(`${url}/xhr`);
    const big = JSON.stringify(['x'.repeat(2000)]);
    const refused = await post(`${url}/xhr_send`, big);
    expect(refused.status).toBe(413);
    expect(await (await post(`${url}/xhr`)).text()).toBe('c[1009,"Message too big"]\n');
    // The session is gone for sends too.
    expect((await post(`${url}/xhr_send`, '["{}"]')).status).toBe(404);

    const ws = new WebSocket(`${sessionUrl().replace('http', 'ws')}/websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve) => ws.once('open', resolve));
    await waitFor('the open frame', () => frames[0] === 'o');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify(['y'.repeat(1025)]));
    expect(await closed).toBe(1000);
    expect(frames.at(-1)).toBe('c[1009,"Message too big"]');
  });

  it('WebSocket: open frame, heartbeats, a bare string message, and a close frame for a broken message', async () => {
    const ws = new WebSocket(`${sessionUrl().replace('http', 'ws')}/websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    await waitFor('a heartbeat', () => frames.includes('h'), 5000);
    expect(frames[0]).toBe('o');
    const token = await hs256Token({ sub: 'ws-sockjs' }, { expInSeconds: 3600 });
    ws.send(JSON.stringify(JSON.stringify({ id: 1, connect: { token } })));
    const reply = await waitFor('the connect reply', () => frames.find((f) => f.startsWith('a[')));
    expect(JSON.parse((JSON.parse(reply.slice(1)) as string[])[0]!)).toMatchObject({ id: 1, connect: {} });
    ws.send('{"not": "sockjs"}');
    await waitFor('the close frame', () => frames.at(-1)?.startsWith('c['));
    expect(frames.at(-1)).toBe('c[3501,"bad request"]');
    expect(await closed).toBe(1000);
  });

  it('a client that stops polling is released after the disconnect delay', async () => {
    const url = sessionUrl();
    await post(`${url}/xhr`);
    const token = await hs256Token({ sub: 'leaver' }, { expInSeconds: 3600 });
    await post(`${url}/xhr_send`, JSON.stringify([JSON.stringify({ id: 1, connect: { token } })]));
    await waitFor('the connection', () => (node.node.ctx.hub.userSessions('leaver')?.size ?? 0) === 1);
    await waitFor('the release', () => (node.node.ctx.hub.userSessions('leaver')?.size ?? 0) === 0, 15_000);
    // The id is free again: a new receiver opens a new session.
    expect(await (await post(`${url}/xhr`)).text()).toBe('o\n');
  });
});

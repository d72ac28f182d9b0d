import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Unidirectional transports consumed by plain tools, no SDK: a ConnectRequest goes in, bare Push objects
// come out — `{"connect":…}` first, then publications of the token's server-side channels, `{}` pings.

type Push = Record<string, unknown>;

let node: TestNode;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  node = await startTestNode({
    client: { ping_interval: '1s', pong_timeout: '500ms' },
    uni_sse: { enabled: true },
    uni_http_stream: { enabled: true },
    uni_websocket: { enabled: true },
    channel: {
      namespaces: [
        { name: 'feed', history_size: 20, history_ttl: '300s', force_recovery: true },
        { name: 'room', join_leave: true, force_push_join_leave: true },
      ],
    },
  });
});
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  await node?.stop();
});

function uniSse(connect: Record<string, unknown>): { pushes: Push[]; errors: number; es: EventSource } {
  const url = `${node.httpUrl}/connection/uni_sse?cf_connect=${encodeURIComponent(JSON.stringify(connect))}`;
  const es = new EventSource(url);
  const state = { pushes: [] as Push[], errors: 0, es };
  es.onmessage = (event) => state.pushes.push(JSON.parse(event.data as string) as Push);
  es.onerror = () => state.errors++;
  cleanups.push(() => es.close());
  return state;
}

interface Curl {
  lines: string[];
  pushes(): Push[];
  exited: Promise<number | null>;
  child: ChildProcessWithoutNullStreams;
}

/** `curl -N` POSTing the ConnectRequest; every output line is one push. */
function curlUniStream(body: string, extra: string[] = []): Curl {
  const child = spawn('curl', ['-sS', '-N', '-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', body, ...extra, `${node.httpUrl}/connection/uni_http_stream`]);
  const lines: string[] = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  cleanups.push(() => child.kill());
  return { lines, pushes: () => lines.filter((l) => l !== '').map((l) => JSON.parse(l) as Push), exited, child };
}

function publications(pushes: Push[], channel: string): unknown[] {
  return pushes.filter((p) => p['channel'] === channel && p['pub']).map((p) => (p['pub'] as Push)['data']);
}

const pings = (pushes: Push[]): number => pushes.filter((p) => Object.keys(p).length === 0).length;

describe('uni_sse with a plain EventSource', () => {
  it('gets the connect push, publications of the token channels and pings', async () => {
    const token = await hs256Token({ sub: 'sse-user', channels: ['feed:sse'] });
    const s = uniSse({ token });
    await waitFor('connect push', () => s.pushes.length >= 1);
    const connect = s.pushes[0]!['connect'] as Push;
    expect(connect).toMatchObject({ version: expect.any(String) as unknown, ping: 1 });
    expect(connect['client']).toMatch(/[0-9a-f-]{36}/);
    expect(connect['session']).toMatch(/[0-9a-f-]{36}/);
    expect(connect['session']).not.toBe(connect['client']);
    expect(connect['pong']).toBeUndefined(); // a unidirectional client cannot answer pings
    expect(connect['node']).toBeUndefined(); // no emulation
    expect(Object.keys(connect['subs'] as Push)).toEqual(['feed:sse']);

    await node.api('publish', { channel: 'feed:sse', data: { n: 1 } });
    await node.api('publish', { channel: 'feed:sse', data: { n: 2 } });
    await waitFor('publications', () => publications(s.pushes, 'feed:sse').length === 2);
    expect(publications(s.pushes, 'feed:sse')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(s.pushes.find((p) => p['pub'])).toMatchObject({ channel: 'feed:sse', pub: { data: { n: 1 }, offset: 1 } });

    // Pings every second; no pong comes back, and the connection stays (no 3012 "no pong").
    await waitFor('three pings', () => pings(s.pushes) >= 3, 10_000);
    expect(s.pushes.some((p) => p['disconnect'])).toBe(false);
    expect(s.errors).toBe(0);
  });

  it('recovers missed publications of a server-side channel from the connect request subs', async () => {
    const token = await hs256Token({ sub: 'sse-rec', channels: ['feed:rec'] });
    const first = uniSse({ token });
    await waitFor('connect push', () => first.pushes.length >= 1);
    await node.api('publish', { channel: 'feed:rec', data: { i: 0 } });
    await waitFor('live publication', () => publications(first.pushes, 'feed:rec').length === 1);
    const last = first.pushes.find((p) => p['pub'])!['pub'] as { offset: number };
    const epoch = ((first.pushes[0]!['connect'] as Push)['subs'] as Record<string, { epoch: string }>)['feed:rec']!.epoch;
    first.es.close();

    await node.api('publish', { channel: 'feed:rec', data: { i: 1 } });
    await node.api('publish', { channel: 'feed:rec', data: { i: 2 } });
    const second = uniSse({ token, subs: { 'feed:rec': { recover: true, offset: last.offset, epoch } } });
    await waitFor('connect push', () => second.pushes.length >= 1);
    const sub = ((second.pushes[0]!['connect'] as Push)['subs'] as Record<string, Push>)['feed:rec']!;
    expect(sub).toMatchObject({ recoverable: true, recovered: true, epoch, offset: 3 });
    expect((sub['publications'] as Push[]).map((p) => p['data'])).toEqual([{ i: 1 }, { i: 2 }]);
  });

  it('is answered 400 for a malformed connect request', async () => {
    const res = await fetch(`${node.httpUrl}/connection/uni_sse?cf_connect=${encodeURIComponent('{"token":')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('malformed connect request');
  });
});

describe('uni_http_stream with curl -N', () => {
  it('streams the connect push, publications and pings, one JSON push per line', async () => {
    const token = await hs256Token({ sub: 'curl-user', channels: ['feed:curl'] });
    const curl = curlUniStream(JSON.stringify({ token }));
    await waitFor('connect push', () => curl.lines.length >= 1);
    const connect = curl.pushes()[0]!['connect'] as Push;
    expect(connect['subs']).toHaveProperty(['feed:curl']);
    expect(connect['pong']).toBeUndefined();

    await node.api('publish', { channel: 'feed:curl', data: { hello: 'curl' } });
    await waitFor('publication', () => publications(curl.pushes(), 'feed:curl').length === 1);
    expect(publications(curl.pushes(), 'feed:curl')).toEqual([{ hello: 'curl' }]);
    await waitFor('two pings', () => pings(curl.pushes()) >= 2, 10_000);

    // A server disconnect is the last line, then the response ends and curl exits normally.
    await node.api('disconnect', { user: 'curl-user' });
    expect(await curl.exited).toBe(0);
    expect(curl.pushes().at(-1)).toEqual({ disconnect: { code: 3503, reason: 'force disconnect' } });
  });

  it('turns connect errors into disconnect pushes (expired token: 3005, invalid token: 3500)', async () => {
    const expired = curlUniStream(JSON.stringify({ token: await hs256Token({ sub: 'late' }, { expInSeconds: -10 }) }));
    expect(await expired.exited).toBe(0);
    expect(expired.pushes()).toEqual([{ disconnect: { code: 3005, reason: 'connection expired' } }]);

    const invalid = curlUniStream(JSON.stringify({ token: 'not-a-jwt' }));
    expect(await invalid.exited).toBe(0);
    expect(invalid.pushes()).toEqual([{ disconnect: { code: 3500, reason: 'invalid token' } }]);
  });

  it('answers 400 to a body that is not a JSON object and 413 past the body limit', async () => {
    const bad = await fetch(`${node.httpUrl}/connection/uni_http_stream`, { method: 'POST', body: '[1,2]' });
    expect(bad.status).toBe(400);
    const large = await fetch(`${node.httpUrl}/connection/uni_http_stream`, { method: 'POST', body: JSON.stringify({ token: 'x'.repeat(70_000) }) });
    expect(large.status).toBe(413);
  });
});

describe('uni_websocket', () => {
  it('takes the ConnectRequest as the first message, pushes join/publication/ping, ends with push and close frame', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${node.port}/connection/uni_websocket`);
    cleanups.push(() => ws.terminate());
    const pushes: Push[] = [];
    let close: { code: number; reason: string } | undefined;
    ws.on('message', (data: Buffer) => {
      for (const line of data.toString('utf8').split('\n')) pushes.push(JSON.parse(line) as Push);
    });
    ws.on('close', (code: number, reason: Buffer) => (close = { code, reason: reason.toString() }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ token: await hs256Token({ sub: 'ws-user', channels: ['room:a'] }) }));
    await waitFor('connect push', () => pushes.length >= 1);
    expect(pushes[0]!['connect']).toHaveProperty(['subs', 'room:a']);
    ws.send('anything later is ignored');

    // Another client joining the channel: the join push is a bare push too.
    const other = new WebSocket(`ws://127.0.0.1:${node.port}/connection/uni_websocket`);
    cleanups.push(() => other.terminate());
    await new Promise<void>((resolve) => other.once('open', () => resolve()));
    other.send(JSON.stringify({ token: await hs256Token({ sub: 'ws-other', channels: ['room:a'] }) }));
    const joinOf = (user: string): Push | undefined =>
      pushes.find((p) => (p['join'] as { info?: { user?: string } } | undefined)?.info?.user === user);
    await waitFor('join push', () => joinOf('ws-other'));
    expect(joinOf('ws-other')).toMatchObject({ channel: 'room:a', join: { info: { user: 'ws-other' } } });

    await node.api('publish', { channel: 'room:a', data: { t: 1 } });
    await waitFor('publication', () => publications(pushes, 'room:a').length === 1);
    await waitFor('ping', () => pings(pushes) >= 1, 10_000);

    await node.api('disconnect', { user: 'ws-user' });
    await waitFor('close', () => close);
    expect(pushes.at(-1)).toEqual({ disconnect: { code: 3503, reason: 'force disconnect' } });
    expect(close).toEqual({ code: 3503, reason: 'force disconnect' });
    other.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/timing/clock.js';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// The node runs on a manual clock and its timer wheel is advanced by the test, so no test waits 25 s.
let node: TestNode | undefined;
let clock: ManualClock;

async function start(overrides: Record<string, unknown> = {}): Promise<TestNode> {
  clock = new ManualClock(Date.now());
  node = await startTestNode(overrides, { clock, manualTimers: true });
  return node;
}

function advance(ms: number): void {
  // Step in ticks as a real driver would, so chained timers (ping → pong deadline) behave as in production.
  for (let left = ms; left > 0; left -= 100) {
    clock.advance(Math.min(100, left));
    node!.node.ctx.wheel.advance();
  }
}

afterEach(async () => {
  await node?.stop();
  node = undefined;
});

async function connect(n: TestNode, token: string): Promise<RawClient> {
  const client = await RawClient.open(n.wsUrl);
  client.sendJson({ id: 1, connect: { token } });
  await client.reply(1);
  return client;
}

describe('server ping and pong', () => {
  it('pings with {} every ping interval and disconnects with 3012 when no pong arrives in time', async () => {
    const n = await start();
    const client = await connect(n, await hs256Token({ sub: 'p' }));
    advance(24_900);
    expect(client.messages.filter((m) => m === '{}')).toHaveLength(0);
    advance(200);
    await waitFor('ping', () => client.messages.includes('{}'));
    advance(7_800);
    expect(client.closeCode).toBeUndefined();
    advance(400);
    expect(await client.closed()).toEqual({ code: 3012, reason: 'no pong' });
  });

  it('keeps a connection that answers every ping', async () => {
    const n = await start();
    const client = await connect(n, await hs256Token({ sub: 'p' }));
    // Ping i fires near i × 25 s (each tick may add up to 100 ms); its pong deadline is 8 s after it.
    let elapsed = 0;
    for (let i = 1; i <= 3; i++) {
      advance(i * 25_200 - elapsed);
      elapsed = i * 25_200;
      await waitFor(`ping ${i}`, () => client.messages.filter((m) => m === '{}').length === i);
      // The pong and an rpc in one frame: the rpc's reply proves the pong was handled.
      client.send(`{}\n{"id":${10 + i},"rpc":{"method":"x"}}`);
      await client.reply(10 + i);
      advance(8_100);
      elapsed += 8_100;
      expect(client.closeCode).toBeUndefined();
    }
    client.sendJson({ id: 2, rpc: { method: 'x' } });
    expect((await client.reply(2))['error']).toMatchObject({ code: 108 });
  });

  it('honours client.ping_interval and client.pong_timeout', async () => {
    const n = await start({ client: { ping_interval: '5s', pong_timeout: '2s' } });
    const client = await connect(n, await hs256Token({ sub: 'p' }));
    expect(((await client.reply(1))['connect'] as Record<string, unknown>)['ping']).toBe(5);
    advance(5_100);
    await waitFor('ping', () => client.messages.includes('{}'));
    advance(2_100);
    expect((await client.closed()).code).toBe(3012);
  });
});

describe('stale and expired connections', () => {
  it('closes a connection that sends no connect command within the stale delay with 3502', async () => {
    const n = await start();
    const client = await RawClient.open(n.wsUrl);
    advance(9_800);
    expect(client.closeCode).toBeUndefined();
    advance(400);
    expect(await client.closed()).toEqual({ code: 3502, reason: 'stale' });
  });

  it('closes an expired connection that did not refresh with 3005 after the close delay', async () => {
    const n = await start({ client: { ping_interval: '0s' } });
    const client = await connect(n, await hs256Token({ sub: 'e' }, { expInSeconds: 60 }));
    const result = (await client.reply(1))['connect'] as Record<string, unknown>;
    expect(result['expires']).toBe(true);
    expect(result['ttl']).toBeGreaterThan(55);
    advance(60_000 + 24_000);
    expect(client.closeCode).toBeUndefined();
    advance(2_000);
    expect(await client.closed()).toEqual({ code: 3005, reason: 'connection expired' });
  });

  it('a refresh with a new token extends the connection', async () => {
    const n = await start({ client: { ping_interval: '0s' } });
    const client = await connect(n, await hs256Token({ sub: 'r' }, { expInSeconds: 60 }));
    client.sendJson({ id: 2, refresh: { token: await hs256Token({ sub: 'r' }, { expInSeconds: 600 }) } });
    const refreshed = (await client.reply(2))['refresh'] as Record<string, unknown>;
    expect(refreshed['expires']).toBe(true);
    expect(refreshed['ttl']).toBeGreaterThan(590);
    advance(60_000 + 30_000);
    client.sendJson({ id: 3, rpc: { method: 'x' } });
    expect((await client.reply(3))['error']).toMatchObject({ code: 108 });
    client.sendJson({ id: 4, refresh: { token: await hs256Token({ sub: 'someone-else' }, { expInSeconds: 600 }) } });
    expect((await client.closed()).code).toBe(3500);
  });
});

describe('shutdown', () => {
  it('closes every client with 3001 when the node stops', async () => {
    const n = await start();
    const a = await connect(n, await hs256Token({ sub: 'a' }));
    const b = await RawClient.open(n.wsUrl);
    await n.stop();
    node = undefined;
    expect(await a.closed()).toEqual({ code: 3001, reason: 'shutdown' });
    expect((await b.closed()).code).toBe(3001);
  });
});

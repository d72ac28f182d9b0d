import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/timing/clock.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';
import { emulationTransports, emulationVariants, type Client, type EmulationVariant } from './sdk-clients.js';

// Recovery through the official SDK over HTTP-streaming and SSE: a reconnect opens a new stream (a new
// session id) and the SDK's subscribe with recover/epoch/offset goes through POST /emulation.

const namespaces = [
  { name: 'rec', allow_subscribe_for_client: true, history_size: 10, history_ttl: '300s', force_recovery: true },
  { name: 'meta', allow_subscribe_for_client: true, history_size: 10, history_ttl: '10s', history_meta_ttl: '60s', force_recovery: true },
];

let node: TestNode;
let clock: ManualClock;
const clients: Client[] = [];

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  node = await startTestNode({ ...emulationTransports, channel: { namespaces } }, { clock });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(() => node.stop());

interface Subscribed {
  client: Client;
  received: unknown[];
  events: Array<{ wasRecovering: boolean; recovered: boolean; epoch: string | undefined }>;
}

async function subscribe(v: EmulationVariant, channel: string): Promise<Subscribed> {
  const client = v.create(node.httpUrl, { token: await hs256Token({ sub: 'r' }) });
  clients.push(client);
  const sub = client.newSubscription(channel);
  const received: unknown[] = [];
  const events: Subscribed['events'] = [];
  sub.on('publication', (ctx) => received.push(v.decode(ctx.data)));
  sub.on('subscribed', (ctx) =>
    events.push({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered, epoch: ctx.streamPosition?.epoch }),
  );
  sub.subscribe();
  client.connect();
  await sub.ready(5000);
  return { client, received, events };
}

async function publish(channel: string, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    expect((await node.api('publish', { channel, data: { i } })).status).toBe(200);
  }
}

const slug = (name: string): string => name.replace(/ /g, '-');

describe.each(emulationVariants)('recovery through the official SDK over $name', (v) => {
  it('recovers exactly the missed publications in order', async () => {
    const channel = `rec:${slug(v.name)}-exact`;
    const s = await subscribe(v, channel);
    await publish(channel, 0, 2);
    await waitFor('live publications', () => s.received.length === 2);
    s.client.disconnect();
    await publish(channel, 2, 5);
    s.client.connect();
    await waitFor('resubscribe', () => s.events.length === 2);
    expect(s.events[1]).toMatchObject({ wasRecovering: true, recovered: true });
    await waitFor('recovered publications', () => s.received.length === 7);
    expect(s.received).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => ({ i })));
  });

  it('reports recovered: false and recovers nothing when more was missed than history holds', async () => {
    const channel = `rec:${slug(v.name)}-overflow`;
    const s = await subscribe(v, channel);
    await publish(channel, 0, 1);
    await waitFor('live publication', () => s.received.length === 1);
    s.client.disconnect();
    await publish(channel, 1, 15);
    s.client.connect();
    await waitFor('resubscribe', () => s.events.length === 2);
    expect(s.events[1]).toMatchObject({ wasRecovering: true, recovered: false });
    await publish(channel, 100, 1);
    await waitFor('next live publication', () => s.received.length === 2);
    expect(s.received).toEqual([{ i: 0 }, { i: 100 }]);
  });

  it('detects a new epoch after the stream meta expired', async () => {
    const channel = `meta:${slug(v.name)}-epoch`;
    const s = await subscribe(v, channel);
    await publish(channel, 0, 1);
    await waitFor('live publication', () => s.received.length === 1);
    const firstEpoch = s.events[0]!.epoch;
    expect(firstEpoch).toBeTruthy();
    s.client.disconnect();
    clock.advance(61_000); // past history_ttl and history_meta_ttl
    await publish(channel, 1, 2);
    s.client.connect();
    await waitFor('resubscribe', () => s.events.length === 2);
    expect(s.events[1]).toMatchObject({ wasRecovering: true, recovered: false });
    expect(s.events[1]!.epoch).not.toBe(firstEpoch);
  });

  it('recovers after the server drops the stream (3000-range disconnect, automatic reconnect)', async () => {
    const channel = `rec:${slug(v.name)}-reconnect`;
    const s = await subscribe(v, channel);
    await publish(channel, 0, 1);
    await waitFor('live publication', () => s.received.length === 1);
    const codes: number[] = [];
    s.client.on('connecting', (ctx) => codes.push(ctx.code));
    // Force a reconnect: the SDK reconnects by itself with a new stream and recovers on it.
    expect((await node.api('disconnect', { user: 'r', disconnect: { code: 3011, reason: 'force reconnect' } })).status).toBe(200);
    await waitFor('reconnecting', () => codes.includes(3011));
    await publish(channel, 1, 3);
    await waitFor('resubscribe', () => s.events.length === 2, 15_000);
    expect(s.events[1]).toMatchObject({ wasRecovering: true, recovered: true });
    await waitFor('recovered publications', () => s.received.length === 4);
    expect(s.received).toEqual([0, 1, 2, 3].map((i) => ({ i })));
  });
});

import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../../src/timing/clock.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

type Client = InstanceType<typeof Centrifuge>;

const protocols = [
  { name: 'json', create: (url: string, o: object): Client => new Centrifuge(url, { websocket: WebSocket, ...o }), decode: (d: unknown) => d },
  {
    name: 'protobuf',
    create: (url: string, o: object): Client => new CentrifugeProtobuf(url, { websocket: WebSocket, ...o }) as unknown as Client,
    decode: (d: unknown) => JSON.parse(new TextDecoder().decode(d as Uint8Array)),
  },
] as const;

const namespaces = [
  { name: 'rec', allow_subscribe_for_client: true, history_size: 10, history_ttl: '300s', force_recovery: true },
  { name: 'meta', allow_subscribe_for_client: true, history_size: 10, history_ttl: '10s', history_meta_ttl: '60s', force_recovery: true },
];

let node: TestNode;
let clock: ManualClock;
const clients: Client[] = [];

beforeAll(async () => {
  // A manual clock lets the test expire history meta without waiting; timers still run on the real driver.
  clock = new ManualClock(Date.now());
  node = await startTestNode({ channel: { namespaces } }, { clock });
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

async function subscribe(proto: (typeof protocols)[number], channel: string): Promise<Subscribed> {
  const client = proto.create(node.wsUrl, { token: await hs256Token({ sub: 'r' }) });
  clients.push(client);
  const sub = client.newSubscription(channel);
  const received: unknown[] = [];
  const events: Subscribed['events'] = [];
  sub.on('publication', (ctx) => received.push(proto.decode(ctx.data)));
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

describe.each(protocols)('recovery through the official SDK ($name)', (proto) => {
  it('recovers exactly the missed publications in order', async () => {
    const channel = `rec:${proto.name}-exact`;
    const s = await subscribe(proto, channel);
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
    const channel = `rec:${proto.name}-overflow`;
    const s = await subscribe(proto, channel);
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
    const channel = `meta:${proto.name}-epoch`;
    const s = await subscribe(proto, channel);
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
});

import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Replies queued for one socket in one flush leave as one WebSocket message (JSON joined by `\n`, protobuf
// length-prefixed back to back), at most `ringcast.client.max_messages_in_frame` (16) per message, as
// Centrifugo's writer joins them; the official SDKs read every reply of a joined message.

const channelConfig = { channel: { without_namespace: { allow_subscribe_for_client: true } } };
const count = 40;
let joined: TestNode;
let single: TestNode;
let delayed: TestNode;

beforeAll(async () => {
  joined = await startTestNode(channelConfig);
  single = await startTestNode({ ...channelConfig, ringcast: { client: { max_messages_in_frame: 1 } } });
  delayed = await startTestNode({ ...channelConfig, ringcast: { client: { write_delay: '20ms' } } });
});
afterAll(async () => {
  await Promise.all([joined.stop(), single.stop(), delayed.stop()]);
});

/** Publishes `count` messages in one batch request: the node handles them in one event-loop turn. */
async function publishBurst(node: TestNode, channel: string): Promise<void> {
  const commands = Array.from({ length: count }, (_, n) => ({ publish: { channel, data: { n } } }));
  const { status } = await node.api('batch', { commands });
  expect(status).toBe(200);
}

async function rawSubscriber(node: TestNode, channel: string): Promise<RawClient> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'raw' }) } }, { id: 2, subscribe: { channel } });
  await client.reply(2);
  return client;
}

/** Publication data as sent: JSON SDKs hand it parsed, protobuf ones as the bytes of its JSON text. */
const nOf = (data: unknown): number =>
  (data instanceof Uint8Array ? (JSON.parse(Buffer.from(data).toString('utf8')) as { n: number }) : (data as { n: number })).n;

const pubsIn = (message: string) => message.split('\n').filter((line) => line.includes('"pub"'));

describe('joined WebSocket messages', () => {
  it('a burst to one JSON socket arrives in messages of up to 16 replies, in order', async () => {
    const client = await rawSubscriber(joined, 'burst');
    const before = client.messages.length;
    await publishBurst(joined, 'burst');
    await waitFor('every publication', () => client.messages.slice(before).flatMap(pubsIn).length === count || undefined);
    const messages = client.messages.slice(before);
    const perMessage = messages.map((m) => pubsIn(m).length);
    expect(Math.max(...perMessage)).toBeGreaterThan(1);
    expect(Math.max(...perMessage)).toBeLessThanOrEqual(16);
    const ns = messages.flatMap(pubsIn).map((line) => (JSON.parse(line) as { push: { pub: { data: { n: number } } } }).push.pub.data.n);
    expect(ns).toEqual(Array.from({ length: count }, (_, n) => n));
    client.close();
  });

  it('counts socket writes next to messages, so messages per write show in the metrics', async () => {
    const read = async (): Promise<{ messages: number; writes: number }> => {
      const text = await (await fetch(`${joined.httpUrl}/metrics`)).text();
      const value = (name: string): number => Number(/\s(\S+)$/.exec(text.split('\n').find((l) => l.startsWith(`${name}{transport="websocket"}`)) ?? ' NaN')![1]);
      return { messages: value('ringcast_transport_messages_sent_total'), writes: value('ringcast_transport_writes_total') };
    };
    const client = await rawSubscriber(joined, 'counted');
    const before = await read();
    await publishBurst(joined, 'counted');
    await waitFor('every publication', () => client.messages.flatMap(pubsIn).length === count || undefined);
    const after = await read();
    expect(after.messages - before.messages).toBe(count);
    // One batch request is handled in one turn: its publications leave in very few writes.
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(1);
    expect(after.writes - before.writes).toBeLessThan(count / 4);
    client.close();
  });

  it('with max_messages_in_frame 1 every reply is its own message', async () => {
    const client = await rawSubscriber(single, 'burst');
    const before = client.messages.length;
    await publishBurst(single, 'burst');
    await waitFor('every publication', () => client.messages.slice(before).flatMap(pubsIn).length === count || undefined);
    expect(client.messages.slice(before).every((m) => pubsIn(m).length === 1)).toBe(true);
    client.close();
  });

  const sdks = [
    { name: 'JSON', create: (url: string, token: string) => new Centrifuge(url, { websocket: WebSocket, token }) },
    {
      name: 'protobuf',
      create: (url: string, token: string) => new CentrifugeProtobuf(url, { websocket: WebSocket, token }) as unknown as Centrifuge,
    },
  ];
  for (const sdk of sdks) {
    for (const [label, node] of [
      ['joined', () => joined],
      ['with a 20 ms write delay', () => delayed],
    ] as const) {
      it(`the official SDK (${sdk.name}) reads every publication of a burst (${label})`, async () => {
        const channel = `sdk-${sdk.name}-${label.length}`;
        const client = sdk.create(node().wsUrl, await hs256Token({ sub: 'sdk' }));
        const got: number[] = [];
        const sub = client.newSubscription(channel);
        sub.on('publication', (ctx) => got.push(nOf(ctx.data)));
        const subscribed = new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
        sub.subscribe();
        client.connect();
        await subscribed;
        await publishBurst(node(), channel);
        await waitFor('every publication', () => got.length === count || undefined);
        expect(got).toEqual(Array.from({ length: count }, (_, n) => n));
        client.disconnect();
      });
    }
  }

  it('protobuf replies of one flush share a binary message', async () => {
    // The SDK's own socket counts the messages; the SDK decoding every publication proves they were joined well.
    const sdkSocket: { messages: number } = { messages: 0 };
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.on('message', () => sdkSocket.messages++);
      }
    }
    const sdk = new CentrifugeProtobuf(joined.wsUrl, { websocket: CountingWebSocket, token: await hs256Token({ sub: 'pb' }) });
    const got: number[] = [];
    const sub = sdk.newSubscription('pb-burst');
    sub.on('publication', (ctx) => got.push(nOf(ctx.data)));
    const subscribed = new Promise<void>((resolve) => sub.once('subscribed', () => resolve()));
    sub.subscribe();
    sdk.connect();
    await subscribed;
    const before = sdkSocket.messages;
    await publishBurst(joined, 'pb-burst');
    await waitFor('every publication', () => got.length === count || undefined);
    expect(got).toEqual(Array.from({ length: count }, (_, n) => n));
    expect(sdkSocket.messages - before).toBeLessThan(count);
    sdk.disconnect();
  });
});

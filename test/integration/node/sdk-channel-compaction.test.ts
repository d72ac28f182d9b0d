import { Centrifuge } from 'centrifuge';
import { Centrifuge as CentrifugeProtobuf } from 'centrifuge/build/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

// Channel compaction (SubscribeRequest.flag bit 1, which centrifuge-js and centrifuge-python set on every
// subscribe): Centrifugo v6 never enables it (centrifuge's SubscribeOptions.AllowChannelCompaction is not wired to
// any config key), so by default Ringcast ignores it too; `ringcast.client.allow_channel_compaction` turns on what
// centrifuge's hub does when it is allowed — the reply carries a numeric `id` and publication, join and leave
// pushes carry that id instead of the channel name. Only on JSON connections: centrifuge-js's protobuf build reads
// the 64-bit id as a Long object and looks subscriptions up by identity, so it could not route compacted pushes.

let plain: TestNode;
let compact: TestNode;
const channelConfig = {
  channel: { without_namespace: { allow_subscribe_for_client: true, join_leave: true, presence: true, allow_presence_for_subscriber: true } },
};

beforeAll(async () => {
  plain = await startTestNode(channelConfig);
  compact = await startTestNode({ ...channelConfig, ringcast: { client: { allow_channel_compaction: true } } });
});
afterAll(async () => {
  await plain.stop();
  await compact.stop();
});

async function subscribed(node: TestNode, user: string, channel: string, flag: number): Promise<{ client: RawClient; result: Record<string, unknown> }> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } }, { id: 2, subscribe: { channel, flag, join_leave: true } });
  const result = (await client.reply(2))['subscribe'] as Record<string, unknown>;
  return { client, result };
}

describe('channel compaction', () => {
  it('is ignored by default, as in Centrifugo: no id, pushes name the channel', async () => {
    const { client, result } = await subscribed(plain, 'p', 'room', 1);
    expect(result['id']).toBeUndefined();
    await plain.api('publish', { channel: 'room', data: { n: 1 } });
    const pub = await waitFor('publication', () => client.replies().find((r) => (r['push'] as { pub?: unknown } | undefined)?.pub));
    expect(pub).toEqual({ push: { channel: 'room', pub: { data: { n: 1 } } } });
    client.close();
  });

  it('with allow_channel_compaction the reply carries an id and pushes use it instead of the name', async () => {
    const { client: a, result } = await subscribed(compact, 'a', 'lobby', 1);
    const id = result['id'];
    expect(id).toEqual(expect.any(Number));
    const { client: b, result: resultB } = await subscribed(compact, 'b', 'lobby', 0);
    expect(resultB['id']).toBeUndefined(); // b did not ask
    await compact.api('publish', { channel: 'lobby', data: { n: 2 } });
    await waitFor('publications', () => a.replies().some((r) => (r['push'] as { pub?: unknown } | undefined)?.pub) && b.replies().some((r) => (r['push'] as { pub?: unknown } | undefined)?.pub));
    const pushes = (c: RawClient) => c.replies().filter((r) => r['push']).map((r) => r['push']);
    expect(pushes(a)).toContainEqual({ id, join: { info: { user: 'b', client: expect.any(String) } } });
    expect(pushes(a)).toContainEqual({ id, pub: { data: { n: 2 } } });
    expect(pushes(b)).toContainEqual({ channel: 'lobby', pub: { data: { n: 2 } } });
    a.close();
    b.close();
  });

  it.each([
    ['json', (url: string) => new Centrifuge(url, { websocket: WebSocket })],
    ['protobuf', (url: string) => new CentrifugeProtobuf(url, { websocket: WebSocket }) as unknown as Centrifuge],
  ] as const)('the official JS SDK (%s) gets its publications (protobuf connections are never compacted)', async (_name, create) => {
    const client = create(compact.wsUrl);
    client.setToken(await hs256Token({ sub: 'sdk' }));
    const sub = client.newSubscription('sdk-room');
    const received: unknown[] = [];
    sub.on('publication', (ctx) => received.push(ctx.data));
    sub.subscribe();
    client.connect();
    await sub.ready(5000);
    await compact.api('publish', { channel: 'sdk-room', data: { n: 3 } });
    await waitFor('SDK publication', () => received.length === 1);
    expect(_name === 'json' ? received[0] : JSON.parse(new TextDecoder().decode(received[0] as Uint8Array))).toEqual({ n: 3 });
    // The SDK keeps the id the reply gave it (private field): compaction was in use on JSON, not on protobuf.
    const id = Number((sub as unknown as { _id: unknown })._id);
    if (_name === 'json') expect(id).toBeGreaterThan(0);
    else expect(id).toBe(0);
    client.disconnect();
  });
});

// Proxied subscribe and publish in a cluster: two Ringcast nodes on real redis-server shards, the same backend for
// both. A client authenticated by cookie on one node publishes through the publish proxy; subscribers allowed by the
// subscribe proxy on the other node get the backend's rewritten data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyBackend } from '../../helpers/proxy-backend.js';
import { startTestCluster, type TestCluster } from '../../helpers/test-cluster.js';
import { waitFor } from '../../helpers/wait-for.js';
import { once, sdkClient, type SdkClient } from './proxy-sdk-client.js';

describe.each(['http', 'grpc'] as const)('proxies in a two-node cluster over %s', (kind) => {
  let backend: ProxyBackend;
  let cluster: TestCluster;
  const clients: SdkClient[] = [];

  beforeAll(async () => {
    backend = await ProxyBackend.start(kind);
    backend.on('connect', ({ headers }) => ({ result: { user: /session=(\w+)/.exec(headers['cookie'] ?? '')?.[1] ?? '' } }));
    backend.on('subscribe', ({ body }) => (body['user'] === 'mallory' ? { error: { code: 1403, message: 'no' } } : { result: {} }));
    backend.on('publish', ({ body }) => ({ result: { data: { said: (body['data'] as { text: string }).text, by: body['user'], checked: true } } }));
    const proxy = (event: Parameters<ProxyBackend['endpoint']>[0]): Record<string, unknown> => ({
      endpoint: backend.endpoint(event),
      http_headers: ['Cookie'],
    });
    cluster = await startTestCluster(2, 2, {
      client: { proxy: { connect: { enabled: true, ...proxy('connect') } } },
      channel: {
        proxy: { subscribe: proxy('subscribe'), publish: proxy('publish') },
        namespaces: [{ name: 'room', subscribe_proxy_enabled: true, publish_proxy_enabled: true, history_size: 10, history_ttl: '60s' }],
      },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.stop();
    await backend?.stop();
  });

  const connect = async (nodeIndex: number, user: string): Promise<SdkClient> => {
    const client = sdkClient(cluster.nodes[nodeIndex]!.wsUrl, { cookie: `session=${user}` });
    clients.push(client);
    const connected = once(client, 'connected');
    client.connect();
    await connected;
    return client;
  };

  it('subscribers on one node get what the backend rewrote for a publisher on the other', async () => {
    const channels = ['room:a', 'room:b', 'room:c', 'room:d']; // spread over both shards
    const received = new Map<string, unknown[]>();
    const reader = await connect(1, 'reader');
    for (const channel of channels) {
      const sub = reader.newSubscription(channel);
      received.set(channel, []);
      sub.on('publication', (ctx) => received.get(channel)!.push(ctx.data));
      sub.subscribe();
      await sub.ready(5000);
    }
    const writer = await connect(0, 'writer');
    for (const channel of channels) await writer.publish(channel, { text: channel });
    for (const channel of channels) {
      await waitFor(`publication in ${channel}`, () => received.get(channel)!.length === 1);
      expect(received.get(channel)![0]).toEqual({ said: channel, by: 'writer', checked: true });
    }
    // The channel's history on its shard holds the rewritten publication too.
    const { json } = await cluster.nodes[1]!.api('history', { channel: 'room:c', limit: 10 });
    expect((json as { result: { publications: Array<{ data: unknown }> } }).result.publications.map((p) => p.data)).toEqual([
      { said: 'room:c', by: 'writer', checked: true },
    ]);
  });

  it('the subscribe proxy decides on either node', async () => {
    const mallory = await connect(1, 'mallory');
    const sub = mallory.newSubscription('room:a');
    const unsubscribed = once<{ code: number }>(sub, 'unsubscribed');
    sub.subscribe();
    expect((await unsubscribed).code).toBe(1403);
    const requests = backend.received('subscribe').filter((r) => r.body['user'] === 'mallory');
    expect(requests).toHaveLength(1);
  });
});

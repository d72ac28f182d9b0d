import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedClient, type SdkClient } from '../../helpers/admin-ui.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

// The `connections` server API method (Centrifugo PRO's request and result shape): a user's connections with
// transport, protocol, app name/version, connect time and channels with their subscription source.
let node: TestNode;
const clients: SdkClient[] = [];

beforeAll(async () => {
  node = await startTestNode({ channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true }] } });
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await node?.stop();
});

describe('connections API', () => {
  it("lists a user's connections with Centrifugo's ConnectionInfo fields", async () => {
    const before = Date.now();
    const { client, id } = await connectedClient(node.wsUrl, 'erin', 'erin-app');
    clients.push(client);
    const sub = client.newSubscription('chat:erin');
    await new Promise<void>((resolve) => {
      sub.once('subscribed', () => resolve());
      sub.subscribe();
    });
    // Server-side, from the connection token's `channels` claim.
    const tokenClient = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: 'erin', channels: ['chat:news'] }) });
    clients.push(tokenClient);
    const tokenId = await new Promise<string>((resolve) => {
      tokenClient.once('connected', (ctx) => resolve(ctx.client));
      tokenClient.connect();
    });
    const { json } = await node.api('connections', { user: 'erin' });
    const connections = (json as { result: { connections: Record<string, Record<string, unknown>> } }).result.connections;
    expect(Object.keys(connections).sort()).toEqual([id, tokenId].sort());
    expect(connections[id]).toMatchObject({
      app_name: 'erin-app',
      transport: 'websocket',
      protocol: 'json',
      user: 'erin',
      state: { channels: { 'chat:erin': { source: 0 } } },
    });
    expect(connections[id]!['connected_at_ms']).toBeGreaterThanOrEqual(before);
    expect(connections[tokenId]).toMatchObject({ state: { channels: { 'chat:news': { source: 1 } } } });
  });

  it('answers an empty map for a user with no connections, and refuses an expression', async () => {
    expect((await node.api('connections', { user: 'nobody' })).json).toEqual({ result: { connections: {} } });
    expect((await node.api('connections', { expression: 'user == "x"' })).json).toEqual({
      error: { code: 107, message: 'bad request: expression is not supported; list by user' },
    });
    expect((await node.api('connections', { user: 5 })).status).toBe(400);
  });
});

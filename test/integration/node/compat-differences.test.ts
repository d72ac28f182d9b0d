import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';

// The few places where Ringcast answers differently from Centrifugo 6.9.1 on purpose (docs/compatibility.md says
// why); each test pins Ringcast's answer, with Centrifugo's in the comment.

let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({ channel: { without_namespace: { allow_subscribe_for_client: true } } });
});
afterAll(() => node.stop());

async function connected(user: string, extra: unknown[] = []): Promise<RawClient> {
  const client = await RawClient.open(node.wsUrl);
  client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: user }) } }, ...extra);
  await client.reply(1);
  return client;
}

describe('deliberate differences from Centrifugo', () => {
  // Centrifugo answers {} and the subscription stops expiring; an expired token must not extend anything.
  it('sub_refresh with an expired token answers 109 and keeps the subscription\'s expiry', async () => {
    const token = await hs256Token({ sub: 's', channel: '$s' }, { expInSeconds: 100 });
    const client = await connected('s', [{ id: 2, subscribe: { channel: '$s', token } }]);
    await client.reply(2);
    client.sendJson({ id: 3, sub_refresh: { channel: '$s', token: await hs256Token({ sub: 's', channel: '$s' }, { expInSeconds: -10 }) } });
    expect((await client.reply(3))['error']).toEqual({ code: 109, message: 'token expired' });
    expect(node.node.ctx.hub.userSessions('s')?.values().next().value?.subscriptions.get('$s')?.expireAt).toBeGreaterThan(0);
    client.close();
  });

  // Centrifugo runs the commands before a blank line, then closes; Ringcast refuses the malformed frame whole.
  it('a frame with an empty line between commands closes with 3501 without running any', async () => {
    const client = await connected('blank');
    client.send('{"id":2,"presence_stats":{"channel":"x"}}\n\n{"id":3,"presence_stats":{"channel":"x"}}');
    expect((await client.closed()).code).toBe(3501);
    expect(client.replies().some((r) => r['id'] === 2)).toBe(false);
  });

  // Centrifugo accepts any code; a WebSocket close frame only carries 3000–4999 for applications.
  it('API disconnect with a code outside 3000–4999 answers 107', async () => {
    expect((await node.api('disconnect', { user: 'x', disconnect: { code: 1, reason: 'r' } })).json).toMatchObject({ error: { code: 107 } });
  });

  // Centrifugo refuses the whole batch with HTTP 400; Ringcast answers that command and runs the others.
  it('a batch command with a field of the wrong type answers 107 and the others run', async () => {
    const res = await node.api('batch', { commands: [{ publish: { channel: 5, data: {} } }, { publish: { channel: 'b', data: {} } }] });
    expect(res).toMatchObject({ status: 200, json: { replies: [{ error: { code: 107 } }, { publish: {} }] } });
  });

  // Centrifugo pushes an unsubscribe for any channel named; Ringcast only for a subscription the connection has.
  it('API unsubscribe of a channel the connection does not have sends no push', async () => {
    const client = await connected('nopush', [{ id: 2, subscribe: { channel: 'kept' } }]);
    await client.reply(2);
    expect((await node.api('unsubscribe', { user: 'nopush', channel: 'other' })).json).toEqual({ result: {} });
    client.sendJson({ id: 3, presence_stats: { channel: 'kept' } });
    await client.reply(3);
    expect(client.replies().filter((r) => r['push'])).toEqual([]);
    client.close();
  });

  // Centrifugo's info has a `metrics` map; Ringcast's metrics are on /metrics and info reports the process.
  it('info reports process cpu and rss per node', async () => {
    const info = (await node.api('info', {})).json as { result: { nodes: Array<Record<string, unknown>> } };
    expect(info.result.nodes[0]).toMatchObject({ process: { cpu: expect.any(Number), rss: expect.any(Number) } });
  });
});

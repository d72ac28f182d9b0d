import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../helpers/raw-client.js';
import { startTestNode, type TestNode } from '../../helpers/test-node.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({
    channel: {
      namespaces: [{ name: 'stress', allow_subscribe_for_client: true, history_size: 10000, history_ttl: '600s', force_recovery: true }],
    },
  });
});
afterAll(() => node.stop());

interface Pub {
  offset: number;
  data: { n: number };
}

describe('resubscribe stress', () => {
  it('a client resubscribing 1000 times while another publishes receives every offset exactly once, in order', async () => {
    const channel = 'stress:one';
    const client = await RawClient.open(node.wsUrl);
    let nextId = 1;
    client.sendJson({ id: nextId++, connect: { token: await hs256Token({ sub: 'stress' }) } });
    await client.reply(1);

    const seen: number[] = [];
    let epoch = '';
    let offset = 0;
    let consumed = 0;
    // Like an SDK, publications that arrive between sending unsubscribe and the new subscribe reply are not
    // for the current subscription and are ignored; recovery brings them back.
    let resubscribeId = 0;
    // Takes every message received so far, in order: subscribe results (recovered sets) and pushes.
    const consume = (): void => {
      const all = client.replies();
      for (; consumed < all.length; consumed++) {
        const message = all[consumed]!;
        if (resubscribeId > 0) {
          if (message['id'] !== resubscribeId) continue;
          resubscribeId = 0;
        }
        const pubs: Pub[] = [];
        const result = message['subscribe'] as { epoch?: string; offset?: number; publications?: Pub[]; recovered?: boolean } | undefined;
        if (result) {
          epoch = result.epoch ?? epoch;
          pubs.push(...(result.publications ?? []));
        }
        const push = message['push'] as { pub?: Pub } | undefined;
        if (push?.pub) pubs.push(push.pub);
        for (const pub of pubs) {
          seen.push(pub.offset);
          offset = pub.offset;
        }
      }
    };

    let publishing = true;
    let published = 0;
    const publisher = (async () => {
      while (publishing) {
        const res = await node.api('publish', { channel, data: { n: published } });
        expect(res.status).toBe(200);
        published++;
      }
    })();

    client.sendJson({ id: nextId, subscribe: { channel, recoverable: true } });
    await client.reply(nextId++);
    consume();
    for (let i = 0; i < 1000; i++) {
      const unsubId = nextId++;
      const subId = nextId++;
      consume();
      resubscribeId = subId;
      client.sendJson(
        { id: unsubId, unsubscribe: { channel } },
        { id: subId, subscribe: { channel, recoverable: true, recover: true, epoch, offset } },
      );
      const reply = await client.reply(subId);
      expect(reply['error']).toBeUndefined();
      expect((reply['subscribe'] as { recovered?: boolean }).recovered).toBe(true);
      consume();
    }
    publishing = false;
    await publisher;
    await waitFor(
      'last publications',
      () => {
        consume();
        return seen.length >= published;
      },
      10_000,
    ).catch((err: unknown) => {
      const missing = Array.from({ length: published }, (_, i) => i + 1).filter((o) => !seen.includes(o));
      throw new Error(`${String(err)}: seen ${seen.length} of ${published}, missing ${missing.slice(0, 10).join(',')}, tail ${seen.slice(-5).join(',')}`);
    });
    expect(published).toBeGreaterThan(100);
    expect(seen).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    client.close();
  });
});

// Client command edge values, one row each, sent as raw frames to Ringcast and (CENTRIFUGO_BIN) Centrifugo v6.
// Each expected outcome is what Centrifugo 6.9.1 answered (replies and close, client ids and epochs masked);
// docs/compatibility.md lists the rows with where in Centrifugo's source the answer comes from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';
import { waitFor } from '../../helpers/wait-for.js';

const config = {
  client: { channel_limit: 5, history_max_publication_limit: 3 },
  channel: {
    without_namespace: { allow_subscribe_for_client: true, allow_publish_for_subscriber: true, history_size: 10, history_ttl: '60s', allow_history_for_subscriber: true, presence: true, allow_presence_for_subscriber: true, allow_recovery: true, allow_positioning: true, join_leave: true },
    namespaces: [
      { name: 'nohist', allow_subscribe_for_client: true, allow_publish_for_client: true, allow_history_for_client: true, allow_presence_for_client: true },
      { name: 'pub', allow_publish_for_client: true },
      { name: 'anon', allow_subscribe_for_client: true, allow_subscribe_for_anonymous: true },
      { name: 'rx', allow_subscribe_for_client: true, channel_regex: '^[a-z]+$' },
      { name: 'ul', allow_user_limited_channels: true },
    ],
  },
};

/** One frame: commands joined by newlines, or raw text. */
type Frame = unknown[] | string;

/** [row, frames sent after connect, Centrifugo's outcome]. */
const rows: Array<[string, Frame[], string]> = [
  ["subscribe empty channel", [[{ id: 2, subscribe: { channel: '' } }]], " CLOSED 3501 bad request"],
  ["subscribe unknown ns", [[{ id: 2, subscribe: { channel: 'zz:a' } }]], "{\"id\":2,\"error\":{\"code\":102,\"message\":\"unknown channel\"}}"],
  ["subscribe duplicate", [[{ id: 2, subscribe: { channel: 'd' } }, { id: 3, subscribe: { channel: 'd' } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"error\":{\"code\":105,\"message\":\"already subscribed\"}}"],
  ["subscribe too long", [[{ id: 2, subscribe: { channel: 'x'.repeat(300) } }]], "{\"id\":2,\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["subscribe regex fail", [[{ id: 2, subscribe: { channel: 'rx:ABC' } }]], "{\"id\":2,\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["subscribe non-ascii", [[{ id: 2, subscribe: { channel: 'é' } }]], "{\"id\":2,\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["subscribe user limited other user", [[{ id: 2, subscribe: { channel: 'ul:x#bob' } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["subscribe user limited self", [[{ id: 2, subscribe: { channel: 'ul:x#alice,bob' } }]], "{\"id\":2,\"subscribe\":{}}"],
  ["subscribe delta unknown", [[{ id: 2, subscribe: { channel: 'dl', delta: 'xdelta' } }]], " CLOSED 3501 bad request"],
  ["subscribe delta fossil not allowed", [[{ id: 2, subscribe: { channel: 'dl2', delta: 'fossil' } }]], "{\"id\":2,\"subscribe\":{}}"],
  ["subscribe positioned", [[{ id: 2, subscribe: { channel: 'pos', positioned: true } }]], "{\"id\":2,\"subscribe\":{\"epoch\":\"E\",\"positioned\":true}}"],
  ["subscribe recover non-recoverable ns", [[{ id: 2, subscribe: { channel: 'nohist:r', recover: true, offset: 3, epoch: 'x' } }]], "{\"id\":2,\"subscribe\":{\"was_recovering\":true}}"],
  ["subscribe recover future offset", [[{ id: 2, subscribe: { channel: 'fut', recoverable: true, recover: true, offset: 99, epoch: '' } }]], "{\"id\":2,\"subscribe\":{\"recoverable\":true,\"epoch\":\"E\",\"positioned\":true,\"was_recovering\":true}}"],
  ["subscribe unknown field", [[{ id: 2, subscribe: { channel: 'uf', zzz: 1 } }]], "{\"id\":2,\"subscribe\":{}}"],
  ["subscribe private no token", [[{ id: 2, subscribe: { channel: '$p' } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["unsubscribe unknown channel", [[{ id: 2, unsubscribe: { channel: 'never' } }]], "{\"id\":2,\"unsubscribe\":{}}"],
  ["unsubscribe empty channel", [[{ id: 2, unsubscribe: { channel: '' } }]], " CLOSED 3501 bad request"],
  ["publish not subscribed (subscriber-only)", [[{ id: 2, publish: { channel: 'ps', data: {} } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["publish subscribed", [[{ id: 2, subscribe: { channel: 'ps2' } }, { id: 3, publish: { channel: 'ps2', data: { a: 1 } } }]], "{\"id\":2,\"subscribe\":{}} {\"push\":{\"channel\":\"ps2\",\"pub\":{\"data\":{\"a\":1},\"info\":{\"user\":\"alice\",\"client\":\"C\"},\"offset\":1,\"epoch\":\"E\"}}} {\"id\":3,\"publish\":{}}"],
  ["publish no data", [[{ id: 2, subscribe: { channel: 'ps3' } }, { id: 3, publish: { channel: 'ps3' } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["publish empty channel", [[{ id: 2, publish: { channel: '', data: {} } }]], " CLOSED 3501 bad request"],
  ["publish unknown ns", [[{ id: 2, publish: { channel: 'zz:a', data: {} } }]], "{\"id\":2,\"error\":{\"code\":102,\"message\":\"unknown channel\"}}"],
  ["publish history off ns", [[{ id: 2, publish: { channel: 'nohist:a', data: {} } }]], "{\"id\":2,\"publish\":{}}"],
  ["publish permission denied", [[{ id: 2, publish: { channel: 'anon:a', data: {} } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["presence empty channel", [[{ id: 2, presence: { channel: '' } }]], " CLOSED 3501 bad request"],
  ["presence not available", [[{ id: 2, presence: { channel: 'nohist:a' } }]], "{\"id\":2,\"error\":{\"code\":108,\"message\":\"not available\"}}"],
  ["presence not subscribed", [[{ id: 2, presence: { channel: 'pr' } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["presence subscribed", [[{ id: 2, subscribe: { channel: 'pr2' } }, { id: 3, presence: { channel: 'pr2' } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"presence\":{\"presence\":{\"ID\":{\"user\":\"alice\",\"client\":\"C\"}}}}"],
  ["presence_stats subscribed", [[{ id: 2, subscribe: { channel: 'pr3' } }, { id: 3, presence_stats: { channel: 'pr3' } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"presence_stats\":{\"num_clients\":1,\"num_users\":1}}"],
  ["history empty channel", [[{ id: 2, history: { channel: '' } }]], " CLOSED 3501 bad request"],
  ["history not available", [[{ id: 2, history: { channel: 'nohist:a' } }]], "{\"id\":2,\"error\":{\"code\":108,\"message\":\"not available\"}}"],
  ["history limit 0", [[{ id: 2, subscribe: { channel: 'h0' } }, { id: 3, history: { channel: 'h0', limit: 0 } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"E\",\"offset\":1}}"],
  ["history limit 100 capped", [[{ id: 2, subscribe: { channel: 'h1' } }, { id: 3, history: { channel: 'h1', limit: 100 } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"history\":{\"publications\":[{\"data\":{\"i\":1},\"offset\":1,\"epoch\":\"E\"}],\"epoch\":\"E\",\"offset\":1}}"],
  ["history reverse no since", [[{ id: 2, subscribe: { channel: 'h2' } }, { id: 3, history: { channel: 'h2', limit: 2, reverse: true } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"history\":{\"publications\":[{\"data\":{\"i\":2},\"offset\":1,\"epoch\":\"E\"}],\"epoch\":\"E\",\"offset\":1}}"],
  ["history reverse since 0", [[{ id: 2, subscribe: { channel: 'h3' } }, { id: 3, history: { channel: 'h3', limit: 2, reverse: true, since: { offset: 0, epoch: '' } } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["history since other epoch", [[{ id: 2, subscribe: { channel: 'h4' } }, { id: 3, history: { channel: 'h4', limit: 2, since: { offset: 1, epoch: 'other' } } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"error\":{\"code\":112,\"message\":\"unrecoverable position\"}}"],
  ["history since empty epoch", [[{ id: 2, subscribe: { channel: 'h5' } }, { id: 3, history: { channel: 'h5', limit: 2, since: { offset: 0, epoch: '' } } }]], "{\"id\":2,\"subscribe\":{}} {\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"E\",\"offset\":0}}"],
  ["rpc no handler", [[{ id: 2, rpc: { method: 'x' } }]], "{\"id\":2,\"error\":{\"code\":108,\"message\":\"not available\"}}"],
  ["rpc empty method", [[{ id: 2, rpc: {} }]], "{\"id\":2,\"error\":{\"code\":108,\"message\":\"not available\"}}"],
  ["send", [[{ send: { data: {} } }, { id: 2, presence_stats: { channel: 'pr9' } }]], " CLOSED 3508 not available"],
  ["refresh empty token", [[{ id: 2, refresh: { token: '' } }]], " CLOSED 3501 bad request"],
  ["refresh garbage token", [[{ id: 2, refresh: { token: 'x.y.z' } }]], " CLOSED 3500 invalid token"],
  ["sub_refresh not subscribed", [[{ id: 2, sub_refresh: { channel: 'zz', token: 'x' } }]], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["sub_refresh empty", [[{ id: 2, sub_refresh: { channel: '', token: '' } }]], " CLOSED 3501 bad request"],
  ["unknown top-level field", [[{ id: 2, zzz: {} }]], " CLOSED 3501 bad request"],
  ["id 0 subscribe", [[{ id: 0, subscribe: { channel: 'z' } }]], " CLOSED 3501 bad request"],
  ["two methods", [[{ id: 2, subscribe: { channel: 'two' }, unsubscribe: { channel: 'two' } }]], "{\"id\":2,\"subscribe\":{}}"],
  ["trailing newline", ['{"id":2,"presence_stats":{"channel":"tn"}}\n'], "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}"],
  ["id as string", ['{"id":"2","presence_stats":{"channel":"s"}}'], " CLOSED 3501 bad request"],
  ["negative id", ['{"id":-2,"presence_stats":{"channel":"s"}}'], " CLOSED 3501 bad request"],
  ["offset negative", [[{ id: 2, subscribe: { channel: 'neg', recover: true, offset: -1 } }]], " CLOSED 3501 bad request"],
];

function masked(client: RawClient): string {
  const replies = client.replies().filter((r) => r['id'] !== 1).map((r) => JSON.stringify(r)).join(' ');
  const closed = client.closeCode !== undefined ? ` CLOSED ${client.closeCode} ${client.closeReason}` : '';
  return (replies + closed)
    .replace(/"client":"[^"]+"/g, '"client":"C"')
    .replace(/"epoch":"[^"]+"/g, '"epoch":"E"')
    .replace(/"[0-9a-f-]{36}":/g, '"ID":');
}

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.each(compatTargets)('client command edge values on %s', (target) => {
  let server: CompatServer;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
    for (let i = 0; i < 5; i++) await server.api('publish', { channel: `h${i}`, data: { i } });
  });
  afterAll(() => server.stop());

  it.each(rows)('%s', async (_row, frames, expected) => {
    const client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'alice' }) } });
    await client.reply(1);
    for (const frame of frames) {
      if (typeof frame === 'string') client.send(frame);
      else client.sendJson(...frame);
    }
    // Every row ends in a known number of replies or a close; wait for that, then compare the whole outcome.
    await waitFor('the outcome', () => masked(client).length >= expected.length || client.closeCode !== undefined, 5000);
    expect(masked(client)).toBe(expected);
    client.close();
  });
});

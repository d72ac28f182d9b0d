// Server API edge values, one row each, against Ringcast and (CENTRIFUGO_BIN) Centrifugo v6, run in order (the
// offsets depend on it). Each expected answer is what Centrifugo 6.9.1 gave (epochs and node details masked;
// 107 messages compared by code, since Ringcast's add what was wrong; HTTP 400 bodies by status only).
// docs/compatibility.md lists the rows and the few documented differences left out here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatTargets, centrifugoBin, centrifugoSkipReason, startCompatServer, type CompatServer } from '../../helpers/compat-servers.js';
import { RawClient } from '../../helpers/raw-client.js';
import { hs256Token } from '../../helpers/tokens.js';

const config = {
  channel: {
    without_namespace: { allow_subscribe_for_client: true, history_size: 10, history_ttl: '60s', presence: true },
    namespaces: [{ name: 'nohist' }, { name: 'json', publication_data_format: 'json_object', history_size: 3, history_ttl: '60s' }],
  },
};

/** [row, method, body (a string is sent as is), Centrifugo's answer]. */
const rows: Array<[string, string, unknown, string]> = [
  ["publish empty data object", 'publish', { channel: 'a', data: {} }, "200 {\"result\":{\"offset\":4,\"epoch\":\"E\"}}"],
  ["publish null data", 'publish', { channel: 'a', data: null }, "200 {\"result\":{\"offset\":5,\"epoch\":\"E\"}}"],
  ["publish string data", 'publish', { channel: 'a', data: 'str' }, "200 {\"result\":{\"offset\":6,\"epoch\":\"E\"}}"],
  ["publish b64data", 'publish', { channel: 'a', b64data: 'eyJ4IjoxfQ==' }, "200 {\"result\":{\"offset\":7,\"epoch\":\"E\"}}"],
  ["publish bad b64", 'publish', { channel: 'a', b64data: '!!!' }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["publish skip_history", 'publish', { channel: 'a', data: {}, skip_history: true }, "200 {\"result\":{}}"],
  ["publish tags", 'publish', { channel: 'a', data: {}, tags: { k: 'v' } }, "200 {\"result\":{\"offset\":8,\"epoch\":\"E\"}}"],
  ["publish idempotency", 'publish', { channel: 'idem', data: {}, idempotency_key: 'k1' }, "200 {\"result\":{\"offset\":1,\"epoch\":\"E\"}}"],
  ["publish idempotency again", 'publish', { channel: 'idem', data: {}, idempotency_key: 'k1' }, "200 {\"result\":{\"offset\":1,\"epoch\":\"E\"}}"],
  ["publish unknown field", 'publish', { channel: 'a', data: {}, zzz: 1 }, "200 {\"result\":{\"offset\":9,\"epoch\":\"E\"}}"],
  ["publish json_object ns with array", 'publish', { channel: 'json:a', data: [1] }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["publish json_object ns with object", 'publish', { channel: 'json:a', data: { a: 1 } }, "200 {\"result\":{\"offset\":1,\"epoch\":\"E\"}}"],
  ["publish invalid name non-ascii", 'publish', { channel: 'é', data: {} }, "200 {\"result\":{\"offset\":1,\"epoch\":\"E\"}}"],
  ["publish too long", 'publish', { channel: 'x'.repeat(300), data: {} }, "200 {\"result\":{\"offset\":1,\"epoch\":\"E\"}}"],
  ["broadcast empty channels", 'broadcast', { channels: [], data: {} }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["broadcast with empty channel", 'broadcast', { channels: ['a', ''], data: {} }, "200 {\"result\":{\"responses\":[{\"result\":{\"offset\":10,\"epoch\":\"E\"}},{\"error\":{\"code\":107,\"message\":\"bad request\"}}]}}"],
  ["broadcast no data", 'broadcast', { channels: ['a'] }, "200 {\"result\":{\"responses\":[{\"error\":{\"code\":107,\"message\":\"bad request\"}}]}}"],
  ["subscribe no user", 'subscribe', { channel: 'a' }, "200 {\"result\":{}}"],
  ["subscribe empty channel", 'subscribe', { user: 'u', channel: '' }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["unsubscribe empty channel", 'unsubscribe', { user: 'u', channel: '' }, "200 {\"result\":{}}"],
  ["unsubscribe no user", 'unsubscribe', { channel: 'a' }, "200 {\"result\":{}}"],
  ["disconnect no user", 'disconnect', {}, "200 {\"result\":{}}"],
  ["disconnect custom", 'disconnect', { user: 'u', disconnect: { code: 4000, reason: 'x' } }, "200 {\"result\":{}}"],
  ["refresh no user", 'refresh', {}, "200 {\"result\":{}}"],
  ["presence empty", 'presence', { channel: '' }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["presence_stats", 'presence_stats', { channel: 'a' }, "200 {\"result\":{\"num_clients\":0,\"num_users\":0}}"],
  ["history empty", 'history', { channel: '' }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["history no limit", 'history', { channel: 'a' }, "200 {\"result\":{\"publications\":[],\"epoch\":\"E\",\"offset\":10}}"],
  ["history limit 0", 'history', { channel: 'a', limit: 0 }, "200 {\"result\":{\"publications\":[],\"epoch\":\"E\",\"offset\":10}}"],
  ["history limit 2", 'history', { channel: 'a', limit: 2 }, "200 {\"result\":{\"publications\":[{\"data\":{\"i\":0},\"offset\":1},{\"data\":{\"i\":1},\"offset\":2}],\"epoch\":\"E\",\"offset\":10}}"],
  ["history reverse no since", 'history', { channel: 'a', limit: 2, reverse: true }, "200 {\"result\":{\"publications\":[{\"data\":{},\"offset\":10},{\"data\":{},\"offset\":9}],\"epoch\":\"E\",\"offset\":10}}"],
  ["history since future", 'history', { channel: 'a', limit: 2, since: { offset: 99, epoch: '' } }, "200 {\"result\":{\"publications\":[],\"epoch\":\"E\",\"offset\":10}}"],
  ["history since negative", 'history', { channel: 'a', limit: 2, since: { offset: -1 } }, "400"],
  ["history_remove", 'history_remove', { channel: 'hr' }, "200 {\"result\":{}}"],
  ["history_remove empty", 'history_remove', { channel: '' }, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["channels", 'channels', {}, "200 {\"result\":{\"channels\":{}}}"],
  ["channels pattern", 'channels', { pattern: 'zz*' }, "200 {\"result\":{\"channels\":{}}}"],
  ["rpc", 'rpc', { method: 'x' }, "200 {\"error\":{\"code\":104,\"message\":\"not found\"}}"],
  ["rpc empty", 'rpc', {}, "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["batch empty", 'batch', { commands: [] }, "200 {}"],
  ["batch no commands", 'batch', {}, "200 {}"],
  ["batch two methods", 'batch', { commands: [{ presence_stats: { channel: 'a' }, publish: { channel: 'a', data: {} } }] }, "200 {\"replies\":[{\"publish\":{\"offset\":11,\"epoch\":\"E\"}}]}"],
  ["body array", 'publish', [1], "400"],
  ["body null", 'publish', 'null', "200 {\"error\":{\"code\":107,\"message\":\"bad request\"}}"],
  ["empty body", 'info', '', "400"],
];

function masked(status: number, json: unknown): string {
  if (status === 400) return '400';
  const text = typeof json === 'string' ? json.trim() : JSON.stringify(json);
  return `${status} ${text}`
    .replace(/"epoch":"[^"]+"/g, '"epoch":"E"')
    .replace(/"message":"bad request[^"]*"/g, '"message":"bad request"');
}

if (!centrifugoBin) it.skip(`Centrifugo side of these comparisons — ${centrifugoSkipReason}`, () => undefined);

describe.sequential.each(compatTargets)('server API edge values on %s', (target) => {
  let server: CompatServer;
  let client: RawClient;
  beforeAll(async () => {
    server = await startCompatServer(target, config);
    client = await RawClient.open(server.wsUrl);
    client.sendJson({ id: 1, connect: { token: await hs256Token({ sub: 'u' }) } });
    await client.reply(1);
    for (let i = 0; i < 3; i++) await server.api('publish', { channel: 'a', data: { i } });
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });

  it.each(rows)('%s', async (_row, method, body, expected) => {
    const res = await server.api(method, body);
    expect(masked(res.status, res.json)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import type { Command, Reply } from '../../../../src/protocol/client-protocol.js';
import { ProtocolDecodeError } from '../../../../src/protocol/protocol-decode-error.js';
import { jsonCodec } from '../../../../src/protocol/json-codec.js';
import { jsonView, normalize, prng, sdkJsonCodec, text } from './protocol-oracles.js';
import { randomCommand, randomReply } from './protocol-samples.js';

const decode = (s: string): Command[] => jsonCodec.decodeCommands(Buffer.from(s, 'utf8'));
const encode = (r: Reply): string => jsonCodec.encodeReply(r) as string;

describe('jsonCodec: identity', () => {
  it('is the text-frame JSON protocol', () => {
    expect(jsonCodec.name).toBe('json');
    expect(jsonCodec.binary).toBe(false);
  });
});

describe('jsonCodec.decodeCommands', () => {
  it('decodes a connect command with data, subs and headers', () => {
    const [cmd, ...rest] = decode(
      '{"id":1,"connect":{"token":"t","data":{"a":[1, 2]},"name":"js","version":"5.8.0",' +
        '"subs":{"news":{"recover":true,"offset":5,"epoch":"e"}},"headers":{"x-a":"b"}}}',
    );
    expect(rest).toEqual([]);
    expect(cmd).toEqual({
      id: 1,
      connect: {
        token: 't',
        data: text('{"a":[1, 2]}'), // the payload's own bytes, whitespace included
        name: 'js',
        version: '5.8.0',
        subs: { news: { channel: '', recover: true, offset: 5, epoch: 'e' } },
        headers: { 'x-a': 'b' },
      },
    });
  });

  it('keeps any JSON value of data fields as its JSON text', () => {
    const cmds = decode(
      [
        '{"id":1,"publish":{"channel":"c","data":"str"}}',
        '{"id":2,"rpc":{"method":"m","data":[1,{"b":null}]}}',
        '{"send":{"data":42}}',
        '{"id":3,"subscribe":{"channel":"c","data":true}}',
      ].join('\n'),
    );
    expect(cmds.map((c) => Buffer.from(c.publish?.data ?? c.rpc?.data ?? c.send?.data ?? c.subscribe?.data ?? []).toString()))
      .toEqual(['"str"', '[1,{"b":null}]', '42', 'true']);
    expect(cmds[2]).toEqual({ id: 0, send: { data: text('42') } });
  });

  // Centrifugo keeps payloads as raw JSON (protocol.Raw): bytes, big integers and escapes arrive unchanged.
  it('keeps payload bytes exactly: large integers, escapes, duplicate keys and whitespace', () => {
    const [pub, sub, dup] = decode(
      [
        '{"id":1,"publish":{"channel":"c","data":{ "n" : 12345678901234567890, "s":"\\u00e9\\"}" }}}',
        '{"id":2,"connect":{"subs":{"a\\"b":{"data":[1 ,2]}}}}',
        '{"id":3,"publish":{"data":1,"channel":"c","data":{"last":true}}}',
      ].join('\n'),
    );
    expect(Buffer.from(pub!.publish!.data).toString()).toBe('{ "n" : 12345678901234567890, "s":"\\u00e9\\"}" }');
    expect(Buffer.from(sub!.connect!.subs!['a"b']!.data!).toString()).toBe('[1 ,2]');
    expect(Buffer.from(dup!.publish!.data).toString()).toBe('{"last":true}');
  });

  // protocol decode.go JSONCommandDecoder: messages are separated by exactly one `\n`, with at most one at the
  // end; an empty message in between fails to parse.
  it('splits a frame on newlines; one trailing newline is allowed, blank lines are malformed', () => {
    const cmds = decode('{"id":1,"presence":{"channel":"a"}}\n{"id":2,"history":{"channel":"b","limit":-1,' +
      '"since":{"offset":9007199254740991,"epoch":"x"},"reverse":true}}\r\n{}\n');
    expect(cmds).toEqual([
      { id: 1, presence: { channel: 'a' } },
      { id: 2, history: { channel: 'b', limit: -1, since: { offset: Number.MAX_SAFE_INTEGER, epoch: 'x' }, reverse: true } },
      { id: 0 },
    ]);
    expect(decode('')).toEqual([]);
    expect(() => decode('\n\n')).toThrow(ProtocolDecodeError);
    expect(() => decode('{}\n\n{}')).toThrow(ProtocolDecodeError);
  });

  it('reads an empty object as a pong and a missing id as 0', () => {
    expect(decode('{}')).toEqual([{ id: 0 }]);
    expect(decode('{"send":{}}')).toEqual([{ id: 0, send: {} }]);
  });

  it('ignores unknown fields and treats null as absent', () => {
    expect(decode('{"id":7,"method":1,"subscribe":{"channel":"c","tf":{"op":"and"},"type":2,"token":null,"data":null}}'))
      .toEqual([{ id: 7, subscribe: { channel: 'c' } }]);
    expect(decode('{"id":1,"connect":null,"unsubscribe":{"channel":"u"}}')).toEqual([{ id: 1, unsubscribe: { channel: 'u' } }]);
  });

  it('gives required fields their zero values when absent', () => {
    expect(decode('{"id":1,"publish":{}}')).toEqual([{ id: 1, publish: { channel: '', data: new Uint8Array(0) } }]);
    expect(decode('{"id":1,"sub_refresh":{}}')).toEqual([{ id: 1, sub_refresh: { channel: '', token: '' } }]);
    expect(decode('{"id":1,"refresh":{}}')).toEqual([{ id: 1, refresh: { token: '' } }]);
    expect(decode('{"id":1,"history":{"since":{}}}')).toEqual([{ id: 1, history: { channel: '', since: { offset: 0, epoch: '' } } }]);
    expect(decode('{"id":1,"ping":{}}')).toEqual([{ id: 1, ping: {} }]);
  });

  it('keeps hostile map keys as plain entries', () => {
    const [cmd] = decode('{"id":1,"connect":{"headers":{"__proto__":"x","constructor":"y"},"subs":{"__proto__":{}}}}');
    expect(Object.keys(cmd!.connect!.headers!)).toEqual(['__proto__', 'constructor']);
    expect(cmd!.connect!.headers!['__proto__']).toBe('x');
    expect(Object.keys(cmd!.connect!.subs!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['channel']).toBeUndefined();
  });

  it('round-trips random commands', () => {
    const rnd = prng(1);
    for (let i = 0; i < 500; i++) {
      const cmds = [randomCommand(rnd), randomCommand(rnd)];
      const frame = cmds.map((c) => JSON.stringify(jsonView(c))).join('\n');
      expect(decode(frame)).toEqual(cmds);
    }
  });
});

describe('jsonCodec encoding: exact output', () => {
  it('encodes the connect result with ping and pong', () => {
    expect(encode({ id: 1, connect: { client: 'c1', version: '0.1.0', ping: 25, pong: true } }))
      .toBe('{"id":1,"connect":{"client":"c1","version":"0.1.0","ping":25,"pong":true}}');
  });

  it('encodes a publication push with info, offset and tags, data inserted verbatim', () => {
    const pub = {
      data: text('{"text":"hi"}'),
      info: { user: '42', client: 'c1', conn_info: text('{"name":"Ann"}') },
      offset: 7,
      tags: { k: 'v' },
    };
    const expected =
      '{"push":{"channel":"news","pub":{"data":{"text":"hi"},"info":{"user":"42","client":"c1",' +
      '"conn_info":{"name":"Ann"}},"offset":7,"tags":{"k":"v"}}}}';
    expect(jsonCodec.encodePublicationPush('news', pub)).toBe(expected);
    expect(encode({ push: { channel: 'news', pub } })).toBe(expected);
  });

  it('encodes errors, the empty ping and empty results', () => {
    expect(encode({ id: 2, error: { code: 100, message: 'internal server error', temporary: true } }))
      .toBe('{"id":2,"error":{"code":100,"message":"internal server error","temporary":true}}');
    expect(encode({ id: 2, error: { code: 103, message: 'permission denied', temporary: false } }))
      .toBe('{"id":2,"error":{"code":103,"message":"permission denied"}}');
    expect(encode({})).toBe('{}');
    expect(encode({ id: 5, publish: {} })).toBe('{"id":5,"publish":{}}');
    expect(encode({ id: 6, unsubscribe: {} })).toBe('{"id":6,"unsubscribe":{}}');
    expect(encode({ id: 8, rpc: {} })).toBe('{"id":8,"rpc":{}}');
    expect(encode({ id: 9, subscribe: {} })).toBe('{"id":9,"subscribe":{}}');
  });

  it('keeps the fields PROTOCOL.md always sends', () => {
    expect(encode({ id: 3, presence: { presence: {} } })).toBe('{"id":3,"presence":{"presence":{}}}');
    expect(encode({ id: 3, presence: { presence: { c1: { user: '', client: 'c1' } } } }))
      .toBe('{"id":3,"presence":{"presence":{"c1":{"user":"","client":"c1"}}}}');
    expect(encode({ id: 4, history: { publications: [], epoch: '', offset: 0 } }))
      .toBe('{"id":4,"history":{"publications":[],"epoch":"","offset":0}}');
    expect(encode({ id: 7, presence_stats: { num_clients: 0, num_users: 0 } }))
      .toBe('{"id":7,"presence_stats":{"num_clients":0,"num_users":0}}');
  });

  it('omits zero, empty and false fields elsewhere', () => {
    const reply: Reply = {
      id: 0,
      subscribe: { expires: false, ttl: 0, epoch: '', publications: [], offset: 0, data: new Uint8Array(0), recoverable: true },
    };
    expect(encode(reply)).toBe('{"subscribe":{"recoverable":true}}');
    expect(encode({ push: { channel: 'c', pub: { data: text('1'), tags: {}, offset: 0, time: 0, delta: false } } }))
      .toBe('{"push":{"channel":"c","pub":{"data":1}}}');
  });

  it('encodes pushes and results with field names and order of the protocol', () => {
    expect(encode({ push: { channel: 'c', unsubscribe: { code: 2000, reason: 'server unsubscribe' } } }))
      .toBe('{"push":{"channel":"c","unsubscribe":{"code":2000,"reason":"server unsubscribe"}}}');
    expect(encode({ push: { disconnect: { code: 3001, reason: 'shutdown', reconnect: true } } }))
      .toBe('{"push":{"disconnect":{"code":3001,"reason":"shutdown","reconnect":true}}}');
    expect(encode({ push: { channel: 'c', join: { info: { user: 'u', client: 'x', chan_info: text('[1]') } } } }))
      .toBe('{"push":{"channel":"c","join":{"info":{"user":"u","client":"x","chan_info":[1]}}}}');
    expect(encode({ push: { message: { data: text('"hi"') } } })).toBe('{"push":{"message":{"data":"hi"}}}');
    expect(encode({ id: 1, subscribe: { recoverable: true, epoch: 'e', offset: 3, recovered: true, was_recovering: true,
      publications: [{ data: text('{}'), offset: 3, time: 1700000000123, channel: 'c' }] } }))
      .toBe('{"id":1,"subscribe":{"recoverable":true,"epoch":"e","publications":[{"data":{},"offset":3,' +
        '"time":1700000000123,"channel":"c"}],"recovered":true,"offset":3,"was_recovering":true}}');
    expect(encode({ id: 1, connect: { client: 'c', version: 'v', subs: { s: { recoverable: true } }, session: 's', node: 'n' } }))
      .toBe('{"id":1,"connect":{"client":"c","version":"v","subs":{"s":{"recoverable":true}},"session":"s","node":"n"}}');
    expect(encode({ id: 2, refresh: { client: 'c', version: 'v', expires: true, ttl: 60 } }))
      .toBe('{"id":2,"refresh":{"client":"c","version":"v","expires":true,"ttl":60}}');
    expect(encode({ id: 3, sub_refresh: { expires: true, ttl: 30 } })).toBe('{"id":3,"sub_refresh":{"expires":true,"ttl":30}}');
  });

  it('escapes strings and map keys', () => {
    const s = 'q"b\\n\n\u0001😀\u2028';
    const out = encode({ push: { channel: s, pub: { data: text('0'), tags: { [s]: s } } } });
    expect(JSON.parse(out)).toEqual({ push: { channel: s, pub: { data: 0, tags: { [s]: s } } } });
  });

  it('keeps pretty-printed data from splitting the newline-delimited frame', () => {
    const pub = { data: text('{\n  "a": "x\\ny",\r\n  "b": [1,\n2]\n}') };
    const frame = jsonCodec.encodeReplies([{ push: { channel: 'c', pub } }, {}]) as string;
    expect(frame.split('\n')).toHaveLength(2);
    expect(JSON.parse(frame.split('\n')[0]!)).toEqual({ push: { channel: 'c', pub: { data: { a: 'x\ny', b: [1, 2] } } } });
  });

  it('joins several replies with newlines', () => {
    expect(jsonCodec.encodeReplies([{ id: 1, publish: {} }, {}, { id: 2, rpc: { data: text('[]') } }]))
      .toBe('{"id":1,"publish":{}}\n{}\n{"id":2,"rpc":{"data":[]}}');
    expect(jsonCodec.encodeReplies([])).toBe('');
  });

  it('encodes random replies to JSON holding the same values', () => {
    const rnd = prng(3);
    for (let i = 0; i < 1000; i++) {
      const reply = randomReply(rnd);
      const parsed: unknown = JSON.parse(encode(reply));
      expect(normalize(parsed)).toEqual(normalize(jsonView(reply)));
    }
  });
});

describe('jsonCodec against the centrifuge SDK JSON codec', () => {
  const sdk = sdkJsonCodec();

  it('decodes what the SDK sends', () => {
    const frame = sdk.encodeCommands([
      { connect: { token: 't', data: { hello: 'ü' }, name: 'js', subs: { s: { recover: true, offset: 4, epoch: 'e' } } }, id: 1 },
      { subscribe: { channel: 'news', recover: true, epoch: 'e', offset: 10, positioned: true, recoverable: true }, id: 2 },
      { publish: { channel: 'news', data: { text: 'hi' } }, id: 3 },
      { rpc: { method: 'sum', data: [1, 2] }, id: 4 },
      { send: { data: 'fire' } },
      { history: { channel: 'news', limit: 10, since: { offset: 3, epoch: 'e' }, reverse: false }, id: 5 },
      {},
    ]) as string;
    expect(decode(frame)).toEqual([
      { id: 1, connect: { token: 't', data: text('{"hello":"ü"}'), name: 'js', subs: { s: { channel: '', recover: true, offset: 4, epoch: 'e' } } } },
      { id: 2, subscribe: { channel: 'news', recover: true, epoch: 'e', offset: 10, positioned: true, recoverable: true } },
      { id: 3, publish: { channel: 'news', data: text('{"text":"hi"}') } },
      { id: 4, rpc: { method: 'sum', data: text('[1,2]') } },
      { id: 0, send: { data: text('"fire"') } },
      { id: 5, history: { channel: 'news', limit: 10, since: { offset: 3, epoch: 'e' }, reverse: false } },
      { id: 0 },
    ]);
  });

  it('produces frames the SDK parses', () => {
    const replies: Reply[] = [
      { id: 1, connect: { client: 'c', version: '1', ping: 25, pong: true } },
      { push: { channel: 'news', pub: { data: text('{"a":1}'), offset: 1 } } },
      {},
    ];
    expect(sdk.decodeReplies(jsonCodec.encodeReplies(replies) as string)).toEqual([
      { id: 1, connect: { client: 'c', version: '1', ping: 25, pong: true } },
      { push: { channel: 'news', pub: { data: { a: 1 }, offset: 1 } } },
      {},
    ]);
  });
});

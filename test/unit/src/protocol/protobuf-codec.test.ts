import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { Command, Reply } from '../../../../src/protocol/client-protocol.js';
import { protobufCodec } from '../../../../src/protocol/protobuf-codec.js';
import { ProtocolDecodeError } from '../../../../src/protocol/protocol-decode-error.js';
import { loadReflection, normalize, prng, reflectionDecodeAll, reflectionFrame, sdkProtobufCodec, text } from './protocol-oracles.js';
import { randomCommand, randomPublication, randomReply } from './protocol-samples.js';

const oracle = loadReflection();
const sdk = sdkProtobufCodec();
const encode = (r: Reply): Uint8Array => protobufCodec.encodeReply(r) as Uint8Array;
const encodeAll = (rs: Reply[]): Uint8Array => protobufCodec.encodeReplies(rs) as Uint8Array;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function decodeError(frame: Uint8Array | number[]): ProtocolDecodeError {
  try {
    protobufCodec.decodeCommands(frame instanceof Uint8Array ? frame : new Uint8Array(frame));
  } catch (err) {
    if (err instanceof ProtocolDecodeError) return err;
    throw new Error(`expected ProtocolDecodeError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected ProtocolDecodeError, decoding succeeded');
}

describe('protobufCodec: identity', () => {
  it('is the binary-frame protobuf protocol', () => {
    expect(protobufCodec.name).toBe('protobuf');
    expect(protobufCodec.binary).toBe(true);
  });
});

// What centrifuge-js builds for each call (centrifuge.ts / subscription.ts), with its extension fields.
const sdkCommands: { sent: object; decoded: Command }[] = [
  {
    sent: { connect: { token: 't', data: text('{"a":1}'), name: 'js', version: '1.2', subs: { srv: { recover: true, offset: 5, epoch: 'e' } }, headers: { 'x-h': 'v' } }, id: 1 },
    decoded: { id: 1, connect: { token: 't', data: text('{"a":1}'), name: 'js', version: '1.2', subs: { srv: { channel: '', recover: true, offset: 5, epoch: 'e' } }, headers: { 'x-h': 'v' } } },
  },
  {
    sent: { subscribe: { channel: 'news', token: 'st', recover: true, epoch: 'ep', offset: 2 ** 40 + 1, positioned: true, recoverable: true, join_leave: true, delta: 'fossil', flag: 2, data: text('[1]') }, id: 2 },
    decoded: { id: 2, subscribe: { channel: 'news', token: 'st', recover: true, epoch: 'ep', offset: 2 ** 40 + 1, positioned: true, recoverable: true, join_leave: true, delta: 'fossil', flag: 2, data: text('[1]') } },
  },
  {
    sent: { subscribe: { channel: 'tagged', type: 4, tf: { op: 'and', nodes: [{ key: 'k', cmp: 'eq', val: 'v' }] }, cursor: 'x', limit: 3, asc: true }, id: 3 },
    decoded: { id: 3, subscribe: { channel: 'tagged' } },
  },
  { sent: { publish: { channel: 'news', data: text('{"text":"hi"}') }, id: 4 }, decoded: { id: 4, publish: { channel: 'news', data: text('{"text":"hi"}') } } },
  { sent: { publish: { channel: 'map', type: 1, key: 'k', data: text('1'), removed: true }, id: 5 }, decoded: { id: 5, publish: { channel: 'map', data: text('1') } } },
  { sent: { rpc: { method: 'sum', data: text('[1,2]') }, id: 6 }, decoded: { id: 6, rpc: { method: 'sum', data: text('[1,2]') } } },
  { sent: { send: { data: text('"fire"') } }, decoded: { id: 0, send: { data: text('"fire"') } } },
  { sent: { refresh: { token: 'new' }, id: 7 }, decoded: { id: 7, refresh: { token: 'new' } } },
  { sent: { sub_refresh: { channel: 'news', token: 'st2' }, id: 8 }, decoded: { id: 8, sub_refresh: { channel: 'news', token: 'st2' } } },
  { sent: { presence: { channel: 'news' }, id: 9 }, decoded: { id: 9, presence: { channel: 'news' } } },
  { sent: { presence_stats: { channel: 'news' }, id: 10 }, decoded: { id: 10, presence_stats: { channel: 'news' } } },
  {
    sent: { history: { channel: 'news', limit: 10, since: { offset: 3, epoch: 'e' }, reverse: true }, id: 11 },
    decoded: { id: 11, history: { channel: 'news', limit: 10, since: { offset: 3, epoch: 'e' }, reverse: true } },
  },
  { sent: { history: { channel: 'news', limit: -1 }, id: 12 }, decoded: { id: 12, history: { channel: 'news', limit: -1 } } },
  { sent: { unsubscribe: { channel: 'news' }, id: 13 }, decoded: { id: 13, unsubscribe: { channel: 'news' } } },
  { sent: {}, decoded: { id: 0 } },
];

describe('protobufCodec.decodeCommands against the centrifuge SDK', () => {
  it('decodes every command the SDK sends, skipping extension fields', () => {
    const frame = sdk.encodeCommands(sdkCommands.map((c) => c.sent)) as Uint8Array;
    expect(protobufCodec.decodeCommands(frame)).toEqual(sdkCommands.map((c) => c.decoded));
  });

  it('reads the SDK bytes with client.proto reflection as the SDK meant them, extensions included', () => {
    const frame = sdk.encodeCommands(sdkCommands.map((c) => c.sent)) as Uint8Array;
    const viaReflection = reflectionDecodeAll(oracle.Command, frame);
    expect(viaReflection.map((c) => normalize(c))).toEqual(sdkCommands.map((c) => normalize(c.sent)));
  });

  it('decodes random commands encoded by the SDK and by reflection', () => {
    const rnd = prng(11);
    for (let i = 0; i < 500; i++) {
      const cmds = [randomCommand(rnd), randomCommand(rnd), randomCommand(rnd)];
      expect(protobufCodec.decodeCommands(sdk.encodeCommands(cmds) as Uint8Array)).toEqual(cmds);
      expect(protobufCodec.decodeCommands(reflectionFrame(oracle.Command, cmds))).toEqual(cmds);
    }
  });

  it('receives a string `data` from the SDK base64-decoded (protobufjs semantics)', () => {
    const frame = sdk.encodeCommands([{ publish: { channel: 'c', data: 'aGk=' }, id: 1 }]) as Uint8Array;
    expect(protobufCodec.decodeCommands(frame)).toEqual([{ id: 1, publish: { channel: 'c', data: text('hi') } }]);
  });
});

describe('protobufCodec.decodeCommands: wire-format rules', () => {
  it('reads an empty frame as no commands and a zero-length message as a pong', () => {
    expect(protobufCodec.decodeCommands(new Uint8Array(0))).toEqual([]);
    expect(protobufCodec.decodeCommands(new Uint8Array([0, 0]))).toEqual([{ id: 0 }, { id: 0 }]);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const w = protobuf.Writer.create();
    w.fork();
    w.uint32((100 << 3) | 0).uint64(2 ** 50);
    w.uint32((101 << 3) | 1).fixed64(7);
    w.uint32((102 << 3) | 2).bytes(new Uint8Array([1, 2, 3]));
    w.uint32((103 << 3) | 5).fixed32(9);
    w.uint32((104 << 3) | 3).uint32((1 << 3) | 0).uint32(5).uint32((2 << 3) | 3).uint32((2 << 3) | 4).uint32((104 << 3) | 4);
    w.uint32(8).uint32(42);
    w.uint32(42).fork().uint32(10).string('news').uint32((50 << 3) | 5).fixed32(1).ldelim();
    w.ldelim();
    expect(protobufCodec.decodeCommands(w.finish())).toEqual([{ id: 42, subscribe: { channel: 'news' } }]);
  });

  it('skips a known field number sent with another wire type', () => {
    // id as length-delimited, subscribe as a varint, then the real publish.
    const frame = [10, 0x0a, 1, 0x41, 0x28, 1, 0x3a, 3, 0x0a, 1, 0x63];
    expect(protobufCodec.decodeCommands(new Uint8Array(frame))).toEqual([{ id: 0, publish: { channel: 'c', data: new Uint8Array(0) } }]);
  });

  it('merges a message field that occurs twice', () => {
    const frame = reflectionFrame(oracle.Command, [{ id: 1, subscribe: { channel: 'a' } }]);
    const second = reflectionFrame(oracle.Command, [{ subscribe: { recover: true, offset: 3 } }]);
    const merged = new Uint8Array([frame[0]! + second[0]!, ...frame.subarray(1), ...second.subarray(1)]);
    expect(protobufCodec.decodeCommands(merged)).toEqual([{ id: 1, subscribe: { channel: 'a', recover: true, offset: 3 } }]);
  });

  it('returns data as bytes of the frame', () => {
    const frame = sdk.encodeCommands([{ publish: { channel: 'c', data: new Uint8Array([0, 255, 7]) }, id: 1 }]) as Uint8Array;
    const [cmd] = protobufCodec.decodeCommands(frame);
    expect(Array.from(cmd!.publish!.data)).toEqual([0, 255, 7]);
  });
});

describe('protobufCodec.decodeCommands: malformed input', () => {
  it('rejects truncated varints', () => {
    expect(decodeError([0x80]).message).toMatch(/malformed protobuf/);
    expect(decodeError([0x02, 0x08, 0x80]).message).toMatch(/malformed protobuf/);
    expect(decodeError([0x03, 0x2a, 0x01, 0x88]).message).toMatch(/malformed protobuf/);
  });

  it('rejects length prefixes beyond the frame or the enclosing message', () => {
    expect(decodeError([0xff, 0xff, 0xff, 0xff, 0x0f, 0x08]).message).toMatch(/exceeds the enclosing message/);
    expect(decodeError([0x05, 0x08, 0x01]).message).toMatch(/exceeds/);
    expect(decodeError([0x04, 0x2a, 0x05, 0x0a, 0x00]).message).toMatch(/exceeds/); // subscribe longer than command
    expect(decodeError([0x05, 0x2a, 0x03, 0x0a, 0x09, 0x61]).message).toMatch(/exceeds/); // channel longer than subscribe
    expect(decodeError([0x04, 0x3a, 0x02, 0x12, 0x7f]).message).toMatch(/exceeds/); // publish data
  });

  it('rejects a varint that runs into the next message', () => {
    expect(decodeError([0x02, 0x08, 0x80, 0x02, 0x08, 0x01]).message).toMatch(/overruns/);
  });

  it('rejects invalid wire types, field number 0 and broken groups', () => {
    expect(decodeError([0x01, 0x0e]).message).toMatch(/wire type 6/);
    expect(decodeError([0x01, 0x0f]).message).toMatch(/wire type 7/);
    expect(decodeError([0x01, 0x00]).message).toMatch(/field number 0/);
    expect(decodeError([0x01, 0x0c]).message).toMatch(/wire type 4/);
    expect(decodeError([0x01, 0x0b]).message).toMatch(/unterminated group/);
    expect(decodeError([0x02, 0x0b, 0x14]).message).toMatch(/mismatched/);
    expect(decodeError([0x03, 0x79, 0x01, 0x02]).message).toMatch(/beyond the end/); // fixed64 cut short
  });

  it('rejects over-long 64-bit varints', () => {
    const offset = [0x38, ...new Array<number>(11).fill(0xff), 0x01];
    expect(decodeError([offset.length + 2, 0x2a, offset.length, ...offset])).toBeInstanceOf(ProtocolDecodeError);
  });

  it('throws only ProtocolDecodeError for random and mutated frames', () => {
    const rnd = prng(5);
    const valid = sdk.encodeCommands(sdkCommands.map((c) => c.sent)) as Uint8Array;
    let failures = 0;
    for (let i = 0; i < 6000; i++) {
      let frame: Uint8Array;
      if (i % 2 === 0) {
        frame = new Uint8Array(Math.floor(rnd() * 48)).map(() => Math.floor(rnd() * 256));
      } else {
        const bytes = Array.from(valid.subarray(0, 1 + Math.floor(rnd() * valid.length)));
        for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) {
          const at = Math.floor(rnd() * bytes.length);
          const op = rnd();
          if (op < 0.6) bytes[at] = Math.floor(rnd() * 256);
          else if (op < 0.8) bytes.splice(at, 1);
          else bytes.splice(at, 0, Math.floor(rnd() * 256));
        }
        frame = new Uint8Array(bytes);
      }
      try {
        protobufCodec.decodeCommands(frame);
      } catch (err) {
        failures++;
        if (!(err instanceof ProtocolDecodeError)) throw new Error(`frame ${hex(frame)}: ${String(err)}`, { cause: err });
      }
    }
    expect(failures).toBeGreaterThan(1000); // the loop did reach the error paths
  });
});

const sampleReplies: Reply[] = [
  { id: 1, connect: { client: 'c1', version: '0.1.0', ping: 25, pong: true, subs: { srv: { recoverable: true, offset: 3, epoch: 'e' } } } },
  { push: { channel: 'news', pub: { data: text('{"a":1}'), info: { user: '42', client: 'c1', conn_info: text('{}') }, offset: 7, tags: { k: 'v', e: '' }, time: 1_700_000_000_123 } } },
  { id: 2, error: { code: 100, message: 'internal server error', temporary: true } },
  {},
  { id: 3, presence: { presence: {} } },
  { id: 3, presence: { presence: { c1: { user: 'u', client: 'c1' }, c2: { user: '', client: '' } } } },
  { id: 4, history: { publications: [], epoch: '', offset: 0 } },
  { id: 4, history: { publications: [{ data: text('1'), offset: 2 ** 40 }], epoch: 'e', offset: 2 ** 40 } },
  { id: 5, publish: {} },
  { id: 6, unsubscribe: {} },
  { id: 7, presence_stats: { num_clients: 0, num_users: 2 } },
  { id: 8, rpc: { data: text('[1]') } },
  { id: 9, refresh: { client: 'c1', version: 'v', expires: true, ttl: 60 } },
  { id: 10, sub_refresh: { expires: true, ttl: 30 } },
  { push: { connect: { client: 'c1', version: 'v', data: text('1'), subs: { s: {} }, expires: true, ttl: 5, ping: 25, pong: true, session: 's', node: 'n', time: 9 } } },
  { push: { channel: 'c', subscribe: { recoverable: true, epoch: 'e', offset: 1, positioned: true, data: text('2') } } },
  { push: { channel: 'c', unsubscribe: { code: 2000, reason: 'server unsubscribe' } } },
  { push: { disconnect: { code: 3001, reason: 'shutdown', reconnect: true } } },
  { push: { channel: 'c', join: { info: { user: 'u', client: 'c' } } } },
  { push: { channel: 'c', leave: { info: { user: 'u', client: 'c' } } } },
  { push: { message: { data: text('"m"') } } },
  { push: { channel: 'c', refresh: { expires: true, ttl: 1 } } },
];

describe('protobufCodec encoding against client.proto reflection and the SDK', () => {
  it('encodes the server ping as an empty length-prefixed message', () => {
    expect(hex(encode({}))).toBe('00');
    expect(hex(encode({ id: 5, publish: {} }))).toBe('0408054200');
  });

  it('produces the bytes reflection and the SDK produce for the same message', () => {
    for (const reply of sampleReplies) {
      const canonical = normalize(reply) as object;
      expect(hex(encode(reply)), JSON.stringify(canonical)).toBe(hex(reflectionFrame(oracle.Reply, [canonical])));
      expect(hex(encode(reply))).toBe(hex(sdk.encodeReplies!([canonical])));
    }
  });

  it('is decoded to the same values by reflection and by the SDK', () => {
    const frame = encodeAll(sampleReplies);
    const expected = sampleReplies.map((r) => normalize(r));
    expect(reflectionDecodeAll(oracle.Reply, frame).map((r) => normalize(r))).toEqual(expected);
    expect(sdk.decodeReplies(frame).map((r) => normalize(r))).toEqual(expected);
  });

  it('round-trips random replies through both decoders', () => {
    const rnd = prng(13);
    for (let i = 0; i < 1000; i++) {
      const replies = [randomReply(rnd), randomReply(rnd)];
      const frame = encodeAll(replies);
      const expected = replies.map((r) => normalize(r));
      expect(reflectionDecodeAll(oracle.Reply, frame).map((r) => normalize(r))).toEqual(expected);
      expect(sdk.decodeReplies(frame).map((r) => normalize(r))).toEqual(expected);
      expect(hex(frame)).toBe(hex(Buffer.concat(replies.map(encode))));
    }
  });

  it('encodes a publication push once, equal to the reply form', () => {
    const rnd = prng(17);
    for (let i = 0; i < 200; i++) {
      const pub = randomPublication(rnd);
      const frame = protobufCodec.encodePublicationPush('news', pub) as Uint8Array;
      expect(hex(frame)).toBe(hex(encode({ push: { channel: 'news', pub } })));
      expect(normalize(sdk.decodeReplies(frame)[0])).toEqual(normalize({ push: { channel: 'news', pub } }));
    }
  });

  it('encodes no replies as an empty frame', () => {
    expect(encodeAll([]).length).toBe(0);
  });
});

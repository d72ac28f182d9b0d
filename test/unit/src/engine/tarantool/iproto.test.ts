import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  FrameReader,
  IprotoProtocolError,
  TarantoolServerError,
  decodeResponse,
  encodeRequest,
  callBody,
  maxFrameBytes,
  parseGreeting,
} from '../../../../../src/engine/tarantool/iproto.js';
import { parseTarantoolAddress } from '../../../../../src/engine/tarantool/tarantool-address.js';
import { TarantoolReplyError, decodeHistoryResult, decodePublishResult, decodePushedMessage } from '../../../../../src/engine/tarantool/tarantool-replies.js';

function frame(...parts: Uint8Array[]): Buffer {
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head[0] = 0xce;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** A response map with integer keys, as Tarantool writes it. */
function intMap(entries: Array<[number, unknown]>): Uint8Array {
  return Buffer.concat([Uint8Array.of(0x80 | entries.length), ...entries.flatMap(([k, v]) => [Uint8Array.of(k), encode(v)])]);
}

describe('IPROTO frames', () => {
  it('cuts a stream into frames whatever the chunking', () => {
    const one = frame(intMap([[0, 0], [1, 7]]), intMap([[0x30, [[1, 'e']]]]));
    const two = frame(intMap([[0, 0], [1, 8]]), intMap([[0x30, []]]));
    const stream = Buffer.concat([one, two]);
    for (const cut of [1, 3, 5, one.length, one.length + 2, stream.length - 1]) {
      const reader = new FrameReader();
      const frames = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(frames.map((f) => decodeResponse(f).sync)).toEqual([7, 8]);
    }
  });

  it('refuses a stream that does not start with a size, and an oversized frame', () => {
    expect(() => new FrameReader().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(IprotoProtocolError);
    const huge = Buffer.alloc(5);
    huge[0] = 0xce;
    huge.writeUInt32BE(maxFrameBytes + 1, 1);
    expect(() => new FrameReader().push(huge)).toThrow(/exceeds the limit/);
  });

  it('turns garbage payloads into protocol errors, and error responses into server errors', () => {
    expect(() => decodeResponse(Buffer.from([0xc1]))).toThrow(IprotoProtocolError);
    expect(() => decodeResponse(Buffer.from(encode('not a map')))).toThrow(/without request type or sync/);
    expect(() => decodeResponse(intMap([[0, 5], [1, 1]]))).toThrow(/unexpected Tarantool response type/);
    const error = decodeResponse(Buffer.concat([intMap([[0, 0x8000 | 33], [1, 4]]), intMap([[0x31, "Procedure 'x' is not defined"]])]));
    expect(error.error).toBeInstanceOf(TarantoolServerError);
    expect(error.error!.message).toBe("Procedure 'x' is not defined");
    expect(error.error!.errorCode).toBe(33);
  });

  it('encodes a CALL with integer keys and a 5-byte size', () => {
    const request = encodeRequest(0x0a, 3, callBody('centrifuge.ping', [1]));
    expect(request[0]).toBe(0xce);
    expect(request.readUInt32BE(1)).toBe(request.length - 5);
    // header {0: 10, 1: 3}
    expect([...request.subarray(5, 10)]).toEqual([0x82, 0x00, 0x0a, 0x01, 0x03]);
  });

  it('reads the greeting, and refuses a server that is not Tarantool', () => {
    const salt = Buffer.alloc(32, 7).toString('base64');
    const greeting = Buffer.from(`${'Tarantool 2.6.0 (Binary) 11111111-2222-3333-4444-555555555555'.padEnd(63)}\n${salt.padEnd(63)}\n`);
    expect(parseGreeting(greeting).version).toBe('2.6.0');
    expect(() => parseGreeting(Buffer.from('SSH-2.0-OpenSSH_9.2'.padEnd(128)))).toThrow(/not Tarantool/);
  });
});

describe('Lua replies', () => {
  const bytes = (text: string) => Buffer.from(text);

  it('decodes what the schema functions return', () => {
    expect(decodePublishResult([[3, bytes('abcdefgh'), false]])).toEqual({ offset: 3, epoch: 'abcdefgh', suppressed: false });
    const slice = decodeHistoryResult([[2, bytes('e'), [[2, Buffer.from([0x22, 0x01, 0x31])]]]]);
    expect(slice.position).toEqual({ offset: 2, epoch: 'e' });
    expect(slice.publications.map((p) => [p.offset, Buffer.from(p.data).toString()])).toEqual([[2, '1']]);
  });

  it('refuses replies of another shape instead of guessing', () => {
    expect(() => decodePublishResult([])).toThrow(TarantoolReplyError);
    expect(() => decodePublishResult([[-1, bytes('e'), false]])).toThrow(/offset is not a count/);
    expect(() => decodeHistoryResult([[1, bytes('e'), 'nope']])).toThrow(/not a list/);
    expect(() => decodeHistoryResult([[1, bytes('e'), [[1]]]])).toThrow(/unexpected history entry/);
    expect(() => decodePushedMessage(['p', 'c'])).toThrow(/unexpected PUB\/SUB message/);
    expect(() => decodePushedMessage([1, 'c', 0, '', bytes('x')])).toThrow(/message type is not a string/);
    expect(decodePushedMessage([bytes('d'), bytes('ch'), 2, bytes('e'), bytes('x'), bytes('')]).prev).toBeUndefined();
  });
});

describe('addresses', () => {
  it('takes host:port, tcp:// and tarantool://user:pass@ forms', () => {
    expect(parseTarantoolAddress('10.0.0.1:3301', 'u', 'p')).toEqual({ host: '10.0.0.1', port: 3301, user: 'u', password: 'p' });
    expect(parseTarantoolAddress('tcp://db:3302', '', '')).toEqual({ host: 'db', port: 3302, user: '', password: '' });
    expect(parseTarantoolAddress('tarantool://a:b%40c@[::1]:3303', 'u', 'p')).toEqual({ host: '::1', port: 3303, user: 'a', password: 'b@c' });
    expect(() => parseTarantoolAddress('redis://x:1', '', '')).toThrow(/unsupported scheme/);
    expect(() => parseTarantoolAddress('db', '', '')).toThrow(/needs a host and a port/);
  });
});

import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../../src/proxy/answer-envelope.js';
import { AnswerReader } from '../../../../src/proxy/answer-reader.js';
import { ProxyCallError } from '../../../../src/proxy/proxy-call-error.js';
import { encodeRequestJson } from '../../../../src/proxy/proxy-request.js';
import { connectResult, publishResult, rpcResult, subscribeResult } from '../../../../src/proxy/proxy-results.js';

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
const malformed = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ProxyCallError);
    expect((err as ProxyCallError).kind).toBe('malformed');
    return (err as Error).message;
  }
  throw new Error('expected a malformed answer');
};

describe('proxy request JSON', () => {
  it('embeds payloads as the JSON they are, byte for byte, in field order, leaving out unset fields', () => {
    const body = encodeRequestJson(
      { client: 'c1', transport: 'websocket', protocol: 'json', encoding: 'json', user: '', channel: 'ch', token: undefined, data: Buffer.from('{"big": 12345678901234567890, "s": "\\u00e9"}') },
      false,
    );
    expect(body).toBe('{"client":"c1","transport":"websocket","protocol":"json","encoding":"json","user":"","channel":"ch","data":{"big": 12345678901234567890, "s": "\\u00e9"}}');
  });

  it('refuses a payload that is not JSON when it must be checked (a protobuf client without binary_encoding)', () => {
    const request = { client: 'c', data: Uint8Array.from([0xff, 0x00]) };
    expect(malformed(() => encodeRequestJson(request, true))).toMatch(/binary_encoding/);
    expect(malformed(() => encodeRequestJson({ data: Buffer.from('not json') }, true))).toMatch(/request field data is not JSON/);
  });
});

describe('proxy answers', () => {
  it('take a disconnect before an error before the result, as Centrifugo does', () => {
    const both = AnswerReader.json('{"result":{},"error":{"code":1400,"message":"m","temporary":true},"disconnect":{"code":4500,"reason":"r"}}');
    expect(readAnswer(both, rpcResult)).toEqual({ type: 'disconnect', disconnect: { code: 4500, reason: 'r' } });
    const error = AnswerReader.json('{"result":{},"error":{"code":1400,"message":"m","temporary":true}}');
    expect(readAnswer(error, rpcResult)).toEqual({ type: 'error', error: { code: 1400, message: 'm', temporary: true } });
    expect(readAnswer(AnswerReader.json('{}'), rpcResult)).toEqual({ type: 'result', result: undefined });
    expect(readAnswer(AnswerReader.json('null'), rpcResult)).toEqual({ type: 'result', result: undefined });
    expect(readAnswer(AnswerReader.json('{"result":null,"error":null}'), rpcResult)).toEqual({ type: 'result', result: undefined });
  });

  it('accept the protocol codes and the application ranges only', () => {
    expect(readAnswer(AnswerReader.json('{"error":{"code":103}}'), rpcResult)).toMatchObject({ error: { code: 103 } });
    expect(readAnswer(AnswerReader.json('{"disconnect":{"code":3500}}'), rpcResult)).toMatchObject({ disconnect: { code: 3500 } });
    expect(malformed(() => readAnswer(AnswerReader.json('{"error":{"code":99}}'), rpcResult))).toMatch(/outside 100–1999/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"error":{"code":2000}}'), rpcResult))).toMatch(/outside 100–1999/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"disconnect":{"code":5000}}'), rpcResult))).toMatch(/outside 3000–4999/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"error":{"code":-1}}'), rpcResult))).toMatch(/error\.code must be an integer/);
  });

  it('keep payloads as their JSON text and prefer the base64 twin, except publish data', () => {
    const answer = AnswerReader.json('{"result":{"user":"u","info":{"n": 1e400},"b64data":"AAE=","data":[1],"meta":{"m":true},"channels":["a"],"subs":{"b":{"info":"x","b64info":"eQ==","override":{"presence":{"value":false}}}}}}');
    const connect = readAnswer(answer, connectResult);
    if (connect.type !== 'result' || !connect.result) throw new Error('expected a result');
    expect(text(connect.result.info)).toBe('{"n": 1e400}');
    expect([...connect.result.data!]).toEqual([0, 1]);
    expect(text(connect.result.meta)).toBe('{"m":true}');
    expect(connect.result.channels).toEqual(['a']);
    expect(text(connect.result.subs[0]![1].info)).toBe('y');
    expect(connect.result.subs[0]![1].override).toEqual({ presence: false });
    const publish = readAnswer(AnswerReader.json('{"result":{"data":{"x":1},"b64data":"AAE="}}'), publishResult);
    expect(publish.type === 'result' && text(publish.result?.data)).toBe('{"x":1}');
  });

  it('refuse wrong types and invalid base64 with the field named', () => {
    expect(malformed(() => readAnswer(AnswerReader.json('{"result":{"user":42}}'), connectResult))).toBe('answer field result.user must be a string');
    expect(malformed(() => readAnswer(AnswerReader.json('{"result":{"channels":[1]}}'), connectResult))).toMatch(/result\.channels must be an array of strings/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"result":{"expire_at":1.5}}'), subscribeResult))).toMatch(/result\.expire_at must be an integer/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"result":{"tags":{"a":1}}}'), publishResult))).toMatch(/result\.tags\.a must be a string/);
    expect(malformed(() => readAnswer(AnswerReader.json('{"result":{"b64data":"***"}}'), rpcResult))).toMatch(/b64data is not valid base64/);
    expect(malformed(() => AnswerReader.json('{"result":'))).toMatch(/not valid JSON/);
    expect(malformed(() => AnswerReader.json('"text"'))).toMatch(/must be a JSON object/);
  });

  it('read gRPC messages the same way (bytes as Buffers, 64-bit integers as strings, empty bytes unset)', () => {
    const answer = AnswerReader.grpc({ result: { user: 'g', expire_at: '1700000000', info: Buffer.from('{"a":1}'), data: Buffer.alloc(0) } });
    const connect = readAnswer(answer, connectResult);
    if (connect.type !== 'result' || !connect.result) throw new Error('expected a result');
    expect(connect.result).toMatchObject({ user: 'g', expireAt: 1_700_000_000 });
    expect(text(connect.result.info)).toBe('{"a":1}');
    expect(connect.result.data).toBeUndefined();
  });
});

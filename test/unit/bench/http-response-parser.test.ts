import { describe, expect, it } from 'vitest';
import { HttpParseError, HttpResponseParser } from '../../../bench/http-response-parser.js';

const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('HttpResponseParser', () => {
  it('splits pipelined responses, whatever the chunking', () => {
    const stream = ok('{"result":{}}') + ok('{"error":{"code":102}}') + ok('');
    for (const cut of [1, 10, 40, stream.length - 1]) {
      const p = new HttpResponseParser();
      const got = [...p.push(stream.slice(0, cut)), ...p.push(stream.slice(cut))];
      expect(got).toEqual([
        { status: 200, body: '{"result":{}}' },
        { status: 200, body: '{"error":{"code":102}}' },
        { status: 200, body: '' },
      ]);
      expect(p.pendingBytes).toBe(0);
    }
  });

  it('reads chunked bodies', () => {
    const p = new HttpResponseParser();
    const res = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"re\r\n9\r\nsult":{}}\r\n0\r\n\r\n';
    expect(p.push(res.slice(0, 30))).toEqual([]);
    expect(p.push(res.slice(30) + ok('{}'))).toEqual([
      { status: 200, body: '{"result":{}}' },
      { status: 200, body: '{}' },
    ]);
  });

  it('keeps the status of error responses', () => {
    const p = new HttpResponseParser();
    expect(p.push('HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\n\r\n{}')).toEqual([{ status: 401, body: '{}' }]);
  });

  it('rejects a stream that is not HTTP', () => {
    expect(() => new HttpResponseParser().push('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(HttpParseError);
  });
});

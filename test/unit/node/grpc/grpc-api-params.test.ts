import { describe, expect, it } from 'vitest';
import { grpcRequestParams } from '../../../../node/grpc/grpc-api-params.js';
import { optionalPayload } from '../../../../node/http/api/api-params.js';

// gRPC requests (as @grpc/proto-loader decodes them) become the HTTP API's params: the same method code then
// reads payloads, 64-bit integers and nested messages as it does from JSON.

describe('grpcRequestParams', () => {
  it('passes bytes payloads on as their base64 twins, which the HTTP API decodes to the same bytes', () => {
    const params = grpcRequestParams({ channel: 'c', data: Buffer.from('{"a":1}') });
    expect(params).toEqual({ channel: 'c', b64data: Buffer.from('{"a":1}').toString('base64') });
    expect(Buffer.from(optionalPayload(params, 'data')!).toString()).toBe('{"a":1}');
  });

  it('lets a set b64 twin win over the bytes field, in either order', () => {
    expect(grpcRequestParams({ data: Buffer.from('x'), b64data: 'eQ==' })).toEqual({ b64data: 'eQ==' });
    expect(grpcRequestParams({ b64data: 'eQ==', data: Buffer.from('x') })).toEqual({ b64data: 'eQ==' });
    expect(grpcRequestParams({ b64info: '', info: Buffer.from('i') })).toEqual({ b64info: Buffer.from('i').toString('base64') });
  });

  it('turns 64-bit integers (decimal strings) into numbers, nested ones too, and keeps unsafe ones as strings', () => {
    expect(grpcRequestParams({ expire_at: '1700000000', recover_since: { offset: '42', epoch: 'e' } })).toEqual({
      expire_at: 1700000000,
      recover_since: { offset: 42, epoch: 'e' },
    });
    expect(grpcRequestParams({ since: { offset: '18446744073709551615' } })).toEqual({ since: { offset: '18446744073709551615' } });
  });

  it('converts the commands of a batch and leaves map keys alone', () => {
    const params = grpcRequestParams({
      commands: [{ publish: { channel: 'c', data: Buffer.from('1'), tags: { offset: '7' } } }, { history: { channel: 'c', since: { offset: '3' } } }],
      parallel: true,
    });
    expect(params).toEqual({
      commands: [
        { publish: { channel: 'c', b64data: Buffer.from('1').toString('base64'), tags: { offset: '7' } } },
        { history: { channel: 'c', since: { offset: 3 } } },
      ],
      parallel: true,
    });
  });
});

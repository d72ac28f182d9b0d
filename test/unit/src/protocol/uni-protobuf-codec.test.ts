import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { protoPath } from '../../../../src/grpc/load-proto.js';
import { ProtocolDecodeError } from '../../../../src/protocol/protocol-decode-error.js';
import { splitDelimited, uniProtobufCodec } from '../../../../src/protocol/uni-protobuf-codec.js';

// The uni gRPC stream's codec checked against the shipped .proto (decoded by protobufjs's reflection, an
// independent reader): bare Pushes out, a bare ConnectRequest in.

const root = protobuf.loadSync(protoPath('centrifugo-unistream.proto'));
const Push = root.lookupType('centrifugal.centrifugo.unistream.Push');
const ConnectRequest = root.lookupType('centrifugal.centrifugo.unistream.ConnectRequest');
const decodePush = (bytes: Uint8Array): Record<string, unknown> =>
  Push.toObject(Push.decode(bytes), { longs: String, bytes: String }) as Record<string, unknown>;

describe('uniProtobufCodec', () => {
  it('encodes the connect result as a Connect push and a publication as a channel push', () => {
    const connect = splitDelimited(uniProtobufCodec.encodeReply({ id: 1, connect: { client: 'c1', version: 'v', ping: 25, session: 's' } }) as Uint8Array);
    expect(connect).toHaveLength(1);
    expect(decodePush(connect[0]!)).toEqual({ connect: { client: 'c1', version: 'v', ping: 25, session: 's' } });
    const pub = splitDelimited(uniProtobufCodec.encodePublicationPush('ch', { data: Buffer.from('{"x":1}'), offset: 7 }) as Uint8Array);
    expect(decodePush(pub[0]!)).toEqual({ channel: 'ch', pub: { data: Buffer.from('{"x":1}').toString('base64'), offset: '7' } });
  });

  it('frames several replies as separate messages; a ping is the empty Push', () => {
    const frame = uniProtobufCodec.encodeReplies([{}, { push: { channel: 'a', message: { data: Buffer.from('1') } } }, {}]) as Uint8Array;
    const messages = splitDelimited(frame);
    expect(messages.map((m) => m.length === 0)).toEqual([true, false, true]);
    expect(decodePush(messages[1]!)).toEqual({ channel: 'a', message: { data: Buffer.from('1').toString('base64') } });
    const big = 'x'.repeat(300);
    expect(splitDelimited(uniProtobufCodec.encodeReply({ push: { channel: big } }) as Uint8Array).map((m) => decodePush(m)['channel'])).toEqual([big]);
  });

  it('decodes a ConnectRequest as connect command 1, and refuses a truncated one', () => {
    const bytes = ConnectRequest.encode(
      ConnectRequest.fromObject({ token: 't', name: 'n', subs: { ch: { recover: true, epoch: 'e', offset: 5 } }, headers: { h: 'v' } }),
    ).finish();
    const [command] = uniProtobufCodec.decodeCommands(bytes);
    expect(command).toMatchObject({ id: 1, connect: { token: 't', name: 'n', headers: { h: 'v' } } });
    expect({ ...command!.connect!.subs!['ch'] }).toMatchObject({ recover: true, epoch: 'e', offset: 5 });
    expect(() => uniProtobufCodec.decodeCommands(Uint8Array.from([0x0a, 0x05, 0x01]))).toThrow(ProtocolDecodeError);
  });
});

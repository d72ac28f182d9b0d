import { describe, expect, it } from 'vitest';
import { ChannelNotSupportedError } from '../../../../../src/engine/channel-not-supported-error.js';
import { redactNatsUrl, splitCredentials } from '../../../../../src/engine/nats/nats-connection.js';
import { NatsSubjects, subjectProblem } from '../../../../../src/engine/nats/nats-subjects.js';
import { decodeBrokerPush, encodeJoinPush, encodePublicationPush } from '../../../../../src/protocol/protobuf-broker-push.js';
import { ProtocolDecodeError } from '../../../../../src/protocol/protocol-decode-error.js';

describe('NATS subjects', () => {
  it("uses Centrifugo's layout", () => {
    const subjects = new NatsSubjects('centrifugo');
    expect(subjects.client('chat:index')).toBe('centrifugo.client.chat:index');
    expect(subjects.client('a.b')).toBe('centrifugo.client.a.b');
    expect(subjects.control).toBe('centrifugo.control');
    expect(subjects.node('n1')).toBe('centrifugo.node.n1');
  });

  it('refuses channels that cannot be a subject', () => {
    for (const channel of ['a b', 'a\tb', 'a*', '>', 'news.>', '.a', 'a.', 'a..b', '', 'a\u0000b']) {
      expect(subjectProblem(channel), JSON.stringify(channel)).toBeDefined();
      if (channel !== '') expect(() => new NatsSubjects('p').client(channel)).toThrow(ChannelNotSupportedError);
    }
    for (const channel of ['chat:index', '$private', 'user#42', 'ünïcode', 'a-b_c/d']) expect(subjectProblem(channel)).toBeUndefined();
  });

  it('takes credentials out of server URLs and keeps them out of logs', () => {
    expect(splitCredentials(['nats://u:p%40ss@h:4222', 'nats://h2:4222'])).toEqual({
      servers: ['nats://h:4222', 'nats://h2:4222'],
      auth: { user: 'u', pass: 'p@ss' },
    });
    expect(splitCredentials(['nats://tok@h:4222']).auth).toEqual({ token: 'tok' });
    expect(redactNatsUrl('nats://u:p@h:4222')).toBe('nats://h:4222');
  });
});

describe('broker push framing', () => {
  it('round-trips publications and joins; refuses garbage and empty pushes', () => {
    const pub = decodeBrokerPush(encodePublicationPush('ch', { data: Buffer.from('{"a":1}'), tags: { k: 'v' }, time: 5 }));
    expect(pub.kind).toBe('publication');
    expect(pub.channel).toBe('ch');
    if (pub.kind === 'publication') {
      expect(Buffer.from(pub.publication.pub.data).toString()).toBe('{"a":1}');
      expect(pub.publication.pub.tags).toEqual({ k: 'v' });
      expect(pub.publication.time).toBe(5);
    }
    const join = decodeBrokerPush(encodeJoinPush('ch', { user: 'u', client: 'c' }));
    expect(join).toEqual({ kind: 'join', channel: 'ch', info: { user: 'u', client: 'c' } });
    expect(() => decodeBrokerPush(Buffer.from([0x12, 0x02, 0x63]))).toThrow(ProtocolDecodeError);
    expect(() => decodeBrokerPush(Buffer.from([0x12, 0x01, 0x63]))).toThrow(/without publication, join or leave/);
    expect(() => decodeBrokerPush(Buffer.from('garbage that is not protobuf'))).toThrow(ProtocolDecodeError);
  });
});

import { describe, expect, it } from 'vitest';
import { PubSubKind, joinFrame, leaveFrame, parsePubSubMessage } from '../../../../../src/engine/redis/pubsub-message.js';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('latin1'));

describe('PUB/SUB framing (Centrifugo Redis engine)', () => {
  it('reads a bare publication (no history)', () => {
    const m = parsePubSubMessage(Buffer.from('\x22\x02{}'));
    expect([m.kind, m.offset, m.epoch, m.delta, text(m.payload)]).toEqual([PubSubKind.Publication, 0, '', false, '\x22\x02{}']);
  });

  it('reads the history header __p1:offset:epoch__', () => {
    const m = parsePubSubMessage(Buffer.from('__p1:42:AbCdEfGh__PAYLOAD'));
    expect([m.kind, m.offset, m.epoch, text(m.payload)]).toEqual([PubSubKind.Publication, 42, 'AbCdEfGh', 'PAYLOAD']);
  });

  it('reads delta frames with and without a previous publication, by byte lengths', () => {
    const m = parsePubSubMessage(Buffer.from('__d1:7:ep:3:a:b:5:x_y:z'));
    expect([m.offset, m.epoch, m.delta, text(m.prevPayload), text(m.payload)]).toEqual([7, 'ep', true, 'a:b', 'x_y:z']);
    const first = parsePubSubMessage(Buffer.from('__d1:1:ep:0::2:hi'));
    expect([text(first.prevPayload), text(first.payload)]).toEqual(['', 'hi']);
  });

  it('reads join and leave frames and writes them', () => {
    expect(parsePubSubMessage(joinFrame(Buffer.from('I'))).kind).toBe(PubSubKind.Join);
    expect(text(parsePubSubMessage(leaveFrame(Buffer.from('I'))).payload)).toBe('I');
    expect(parsePubSubMessage(Buffer.from('__l__I')).kind).toBe(PubSubKind.Leave);
  });

  it('rejects malformed frames instead of guessing', () => {
    for (const bad of ['__', '__x__', '__p1:12', '__p1:x:ep__a', '__p2:1:e__a', '__d1:1:ep:9:a:1:b', '__d1:1:ep:0::9:ab', '__j_x']) {
      expect(() => parsePubSubMessage(Buffer.from(bad)), bad).toThrow();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Command } from '../../../../src/protocol/client-protocol.js';
import { jsonCodec } from '../../../../src/protocol/json-codec.js';
import { ProtocolDecodeError } from '../../../../src/protocol/protocol-decode-error.js';
import { prng } from './protocol-oracles.js';

const decode = (s: string): Command[] => jsonCodec.decodeCommands(Buffer.from(s, 'utf8'));

describe('jsonCodec.decodeCommands: malformed input', () => {
  const expectDecodeError = (frame: string, message?: RegExp): void => {
    let caught: unknown;
    try {
      decode(frame);
    } catch (err) {
      caught = err;
    }
    expect(caught, frame).toBeInstanceOf(ProtocolDecodeError);
    if (message) expect((caught as Error).message).toMatch(message);
  };

  it('rejects invalid JSON, also after a valid line', () => {
    for (const frame of ['{"id":1', 'not json', '{"id":1}{"id":2}', '{"id":1}\n{', "{'id':1}", '{"id":01}']) {
      expectDecodeError(frame, /invalid JSON command/);
    }
  });

  it('rejects values that are not objects', () => {
    for (const frame of ['[]', '1', '"x"', 'null', 'true', '[{"id":1}]']) expectDecodeError(frame, /not a JSON object/);
  });

  it('rejects fields of the wrong type, naming the field', () => {
    const cases: [string, RegExp][] = [
      ['{"id":"1"}', /command\.id/],
      ['{"id":-1}', /command\.id/],
      ['{"id":1.5}', /command\.id/],
      ['{"id":4294967296}', /command\.id/],
      ['{"id":true}', /command\.id/],
      ['{"id":1,"connect":[]}', /command\.connect must be an object/],
      ['{"id":1,"connect":"x"}', /command\.connect/],
      ['{"id":1,"connect":{"token":1}}', /connect\.token must be a string/],
      ['{"id":1,"connect":{"headers":{"a":1}}}', /connect\.headers\."a" must be a string/],
      ['{"id":1,"connect":{"headers":[]}}', /connect\.headers/],
      ['{"id":1,"connect":{"subs":{"c":5}}}', /connect\.subs\["c"\] must be an object/],
      ['{"id":1,"connect":{"subs":{"c":{"offset":"1"}}}}', /connect\.subs\["c"\]\.offset/],
      ['{"id":1,"subscribe":{"channel":5}}', /subscribe\.channel must be a string/],
      ['{"id":1,"subscribe":{"channel":"c","recover":"yes"}}', /subscribe\.recover must be a boolean/],
      ['{"id":1,"subscribe":{"channel":"c","offset":-1}}', /subscribe\.offset/],
      ['{"id":1,"subscribe":{"channel":"c","flag":0.5}}', /subscribe\.flag/],
      ['{"id":1,"history":{"channel":"c","limit":1.5}}', /history\.limit/],
      ['{"id":1,"history":{"channel":"c","limit":4294967295}}', /history\.limit/],
      ['{"id":1,"history":{"channel":"c","since":[]}}', /history\.since/],
      ['{"id":1,"history":{"channel":"c","since":{"offset":"1"}}}', /history\.since\.offset/],
      ['{"id":1,"rpc":{"method":1}}', /rpc\.method/],
      ['{"id":1,"refresh":{"token":false}}', /refresh\.token/],
      ['{"id":1,"sub_refresh":{"channel":"c","token":1}}', /sub_refresh\.token/],
      ['{"id":1,"ping":1}', /command\.ping/],
      ['{"send":"x"}', /command\.send/],
      ['{"id":1,"publish":{"channel":["c"]}}', /publish\.channel/],
      ['{"id":1,"presence_stats":{"channel":{}}}', /presence_stats\.channel/],
    ];
    for (const [frame, message] of cases) expectDecodeError(frame, message);
  });

  // Centrifugo limits frames by size, not JSON structure: legal nesting of any depth is accepted as is.
  it('accepts data nested deeper than JSON.stringify can follow, keeping its text', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const [pub] = jsonCodec.decodeCommands(Buffer.from(`{"id":1,"publish":{"channel":"c","data":${deep}}}`));
    expect(Buffer.from(pub!.publish!.data).toString()).toBe(deep);
    const [connect] = jsonCodec.decodeCommands(Buffer.from(`{"id":1,"connect":{"subs":{"c":{"data":${deep}}}}}`));
    expect(Buffer.from(connect!.connect!.subs!['c']!.data!).toString()).toBe(deep);
  });

  it('throws only ProtocolDecodeError for mutated and random frames', () => {
    const rnd = prng(7);
    const seeds = [
      '{"id":1,"connect":{"token":"t","subs":{"a":{"recover":true,"offset":1}},"headers":{"h":"v"}}}',
      '{"id":2,"history":{"channel":"c","limit":10,"since":{"offset":3,"epoch":"e"}}}\n{}',
      '{"id":3,"publish":{"channel":"c","data":{"x":[1,2,"y"]}}}',
    ];
    const alphabet = '{}[]":,\\\n 0123456789-.eEtruefalsnl"idconectsubrpcdata';
    for (let i = 0; i < 3000; i++) {
      const chars = [...seeds[i % seeds.length]!];
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (chars.length + 1));
        const op = rnd();
        const c = alphabet[Math.floor(rnd() * alphabet.length)]!;
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.7) chars.splice(at, 0, c);
        else chars[at] = c;
      }
      const bytes = i % 10 === 0 ? new Uint8Array(Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256))) : Buffer.from(chars.join(''));
      try {
        jsonCodec.decodeCommands(bytes);
      } catch (err) {
        expect(err, Buffer.from(bytes).toString()).toBeInstanceOf(ProtocolDecodeError);
      }
    }
  });
});

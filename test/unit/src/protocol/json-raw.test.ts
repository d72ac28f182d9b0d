import { describe, expect, it } from 'vitest';
import { RawJson } from '../../../../src/protocol/json-raw.js';

/** The located value's JSON text (its bytes read as UTF-8). */
const jsonText = (value: RawJson | null | undefined): string | undefined => value?.bytes().toString('utf8');

describe('RawJson', () => {
  const text = ' {"commands": [ {"publish": {"data": 12345678901234567890}} , "s,]\\"", [1, [2]], null ], "x": {"a": 1}, "x": 2}';

  it('finds members (the last of duplicate keys, as JSON.parse keeps) and array elements by path', () => {
    const root = RawJson.of(text);
    expect(jsonText(root.at(['commands', 0, 'publish', 'data']))).toBe('12345678901234567890');
    expect(jsonText(root.at(['commands', 1]))).toBe('"s,]\\""');
    expect(jsonText(root.at(['x']))).toBe('2');
    expect(root.at(['commands', 4])).toBeNull();
    expect(root.at(['missing'])).toBeNull();
  });

  it('lists every element of an array in one pass, each at its own position', () => {
    const elements = RawJson.of(text).at(['commands'])!.elements();
    expect(elements.map((e) => jsonText(e))).toEqual(['{"publish": {"data": 12345678901234567890}}', '"s,]\\""', '[1, [2]]', 'null']);
    expect(jsonText(elements[0]!.at(['publish', 'data']))).toBe('12345678901234567890');
    expect(RawJson.of('[]').elements()).toEqual([]);
    expect(RawJson.of('{"a": 1}').elements()).toEqual([]);
  });

  it('reads keys written with escapes and keeps non-ASCII payloads byte for byte', () => {
    const doc = RawJson.of('{"ch":"чат","d\\u0061ta":{"t":"ü€😀","n":12345678901234567890},"x":"\\"data\\""}');
    expect(jsonText(doc.at(['data']))).toBe('{"t":"ü€😀","n":12345678901234567890}');
    expect(jsonText(doc.at(['x']))).toBe('"\\"data\\""');
    expect(jsonText(doc.at(['ch']))).toBe('"чат"');
  });

  it('hands out copies, so a kept payload does not pin the whole request', () => {
    const doc = RawJson.of('{"data":[1,2,3],"pad":"' + 'x'.repeat(20000) + '"}');
    const bytes = doc.at(['data'])!.bytes();
    expect(Buffer.from(bytes).toString()).toBe('[1,2,3]');
    expect(bytes.buffer.byteLength).toBeLessThan(20000); // not the request's own memory
  });
});

import { describe, expect, it } from 'vitest';
import { compileGoRegex } from '../../../../src/config/go-regex.js';

describe('compileGoRegex', () => {
  it('translates RE2 named groups, leading flags and \\A / \\z', () => {
    expect(compileGoRegex('^(?P<id>[0-9]+)$').exec('42')?.groups?.['id']).toBe('42');
    expect(compileGoRegex('(?i)^abc$').test('ABC')).toBe(true);
    expect(compileGoRegex('\\Aab\\z').test('ab')).toBe(true);
    expect(compileGoRegex('\\Aab\\z').test('abc')).toBe(false);
  });
  it('searches like Go MatchString (unanchored unless the pattern anchors)', () => {
    expect(compileGoRegex('[0-9]').test('room-7')).toBe(true);
  });
  it('rejects invalid patterns and inline flag groups JavaScript cannot express', () => {
    expect(() => compileGoRegex('([a-z')).toThrow();
    expect(() => compileGoRegex('a(?i)b')).toThrow(/flag groups/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatMs, nsToMs, parseGoDuration } from '../../../../src/config/go-duration.js';

describe('parseGoDuration', () => {
  it('reads Go duration strings as nanoseconds', () => {
    expect(parseGoDuration('25s')).toBe(25e9);
    expect(parseGoDuration('1m30s')).toBe(90e9);
    expect(parseGoDuration('500ms')).toBe(500e6);
    expect(parseGoDuration('1h')).toBe(3600e9);
    expect(parseGoDuration('1.5h')).toBe(5400e9);
    expect(parseGoDuration('720h')).toBe(720 * 3600e9);
    expect(parseGoDuration('10us')).toBe(10e3);
    expect(parseGoDuration('10µs')).toBe(10e3);
    expect(parseGoDuration('7ns')).toBe(7);
    expect(parseGoDuration('.5s')).toBe(0.5e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('-2s')).toBe(-2e9);
    expect(parseGoDuration('+2s')).toBe(2e9);
  });
  it('rejects what Go rejects', () => {
    for (const bad of ['', '25', '1d', 's', '.s', '1h 30m', 'abc', '1.2.3s', '--1s', '1S']) {
      expect(parseGoDuration(bad), bad).toBeNull();
    }
  });
});

describe('nsToMs / formatMs', () => {
  it('rounds a tiny non-zero duration up to 1ms', () => {
    expect(nsToMs(1)).toBe(1);
    expect(nsToMs(0)).toBe(0);
    expect(nsToMs(25e9)).toBe(25_000);
  });
  it('formats milliseconds back in Go syntax', () => {
    expect(formatMs(3_600_000)).toBe('1h');
    expect(formatMs(90_000)).toBe('90s');
    expect(formatMs(120_000)).toBe('2m');
    expect(formatMs(1500)).toBe('1500ms');
    expect(formatMs(0)).toBe('0s');
  });
});

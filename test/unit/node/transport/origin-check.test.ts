import { describe, expect, it } from 'vitest';
import { originAllowed } from '../../../../node/transport/origin-check.js';

describe('originAllowed', () => {
  it('lets non-browser clients (no Origin) through', () => {
    expect(originAllowed('', 'localhost:8000', [])).toBe(true);
  });
  it('requires the same host when nothing is configured', () => {
    expect(originAllowed('http://localhost:8000', 'localhost:8000', [])).toBe(true);
    expect(originAllowed('http://evil.example', 'localhost:8000', [])).toBe(false);
    expect(originAllowed('not a url', 'localhost:8000', [])).toBe(false);
  });
  it('matches exact origins, * and wildcards case-insensitively', () => {
    expect(originAllowed('https://App.Example.com', 'x', ['https://app.example.com'])).toBe(true);
    expect(originAllowed('https://a.example.com', 'x', ['https://*.example.com'])).toBe(true);
    expect(originAllowed('https://a.example.com.evil.io', 'x', ['https://*.example.com'])).toBe(false);
    expect(originAllowed('https://example.org', 'x', ['https://example.com'])).toBe(false);
    expect(originAllowed('https://anything', 'x', ['*'])).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkAdminSession, issueAdminSession, passwordMatches } from '../../../../node/admin/admin-session.js';

const secret = 'unit-test-admin-secret-0123456789abcdef';

describe('admin session values', () => {
  it('are accepted until they expire, under the secret that signed them only', () => {
    const value = issueAdminSession(secret, 1_000, 60_000);
    expect(checkAdminSession(secret, value, 1_000)).toEqual({ ok: true, expiresAt: 61_000 });
    expect(checkAdminSession(secret, value, 60_999).ok).toBe(true);
    expect(checkAdminSession(secret, value, 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(checkAdminSession('another-secret', value, 1_000)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse any change to the expiry, the nonce or the signature, and malformed values', () => {
    const [v, expires, nonce, signature] = issueAdminSession(secret, 0, 1_000).split('.');
    expect(checkAdminSession(secret, [v, Number(expires) * 1000, nonce, signature].join('.'), 0).ok).toBe(false);
    expect(checkAdminSession(secret, [v, expires, `${nonce}x`, signature].join('.'), 0).ok).toBe(false);
    expect(checkAdminSession(secret, [v, expires, nonce, `${signature!.slice(1)}A`].join('.'), 0).ok).toBe(false);
    for (const bad of ['', 'v1', 'v2.1.n.s', 'v1.-1.n.s', 'v1.abc.n.s', 'v1.1.n.s.extra']) {
      expect(checkAdminSession(secret, bad, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('get a fresh nonce each time', () => {
    expect(issueAdminSession(secret, 0, 1_000)).not.toBe(issueAdminSession(secret, 0, 1_000));
  });
});

describe('password check', () => {
  it('matches the exact password only, and never an empty configured one', () => {
    expect(passwordMatches('s3cret', 's3cret')).toBe(true);
    expect(passwordMatches('s3cret ', 's3cret')).toBe(false);
    expect(passwordMatches('S3cret', 's3cret')).toBe(false);
    expect(passwordMatches('', '')).toBe(false);
  });
});

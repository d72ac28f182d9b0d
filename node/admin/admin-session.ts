import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The admin login session: a cookie value `v1.<expires ms>.<nonce>.<signature>`, the signature an HMAC-SHA256
// of the rest under `admin.secret`. Nothing is kept on the node, so any node of the cluster with the same secret
// accepts it; changing the secret ends every session.

const version = 'v1';

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** A new session value that expires `ttlMs` after `now`. */
export function issueAdminSession(secret: string, now: number, ttlMs: number): string {
  const payload = `${version}.${now + ttlMs}.${randomBytes(12).toString('base64url')}`;
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

export type SessionCheck = { ok: true; expiresAt: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** Checks a session value: well formed, signed with `secret` (compared in constant time) and not expired. */
export function checkAdminSession(secret: string, value: string, now: number): SessionCheck {
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== version || !/^\d{1,15}$/.test(parts[1]!)) return { ok: false, reason: 'malformed' };
  const payload = parts.slice(0, 3).join('.');
  const given = Buffer.from(parts[3]!, 'base64url');
  const expected = sign(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  const expiresAt = Number(parts[1]);
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt };
}

/** Compares a typed password with the configured one in constant time (lengths are not revealed either). */
export function passwordMatches(given: string, expected: string): boolean {
  if (expected === '') return false;
  const key = randomBytes(32);
  const a = createHmac('sha256', key).update(given).digest();
  const b = createHmac('sha256', key).update(expected).digest();
  return timingSafeEqual(a, b);
}

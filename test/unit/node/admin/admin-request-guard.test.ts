import { describe, expect, it } from 'vitest';
import { cookieValue, csrfSafeCall, sameOrigin, sessionCookie, type AdminRequestHeaders } from '../../../../node/admin/admin-request-guard.js';

const headers = (overrides: Partial<AdminRequestHeaders>): AdminRequestHeaders => ({
  origin: '',
  host: 'admin.example.com:8000',
  forwardedHost: '',
  forwardedProto: '',
  fetchSite: '',
  callHeader: '1',
  cookie: '',
  contentType: 'application/json',
  ...overrides,
});

describe('same-origin rule', () => {
  it('accepts this host (any scheme a proxy terminated) or the forwarded host, and no Origin at all', () => {
    expect(sameOrigin(headers({}))).toBe(true);
    expect(sameOrigin(headers({ origin: 'http://admin.example.com:8000' }))).toBe(true);
    expect(sameOrigin(headers({ origin: 'https://ops.example.com', forwardedHost: 'ops.example.com, proxy' }))).toBe(true);
  });
  it('refuses other origins, "null", and requests the browser marks cross-site or same-site', () => {
    expect(sameOrigin(headers({ origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(headers({ origin: 'http://admin.example.com:8001' }))).toBe(false);
    expect(sameOrigin(headers({ origin: 'null' }))).toBe(false);
    expect(sameOrigin(headers({ fetchSite: 'cross-site' }))).toBe(false);
    expect(sameOrigin(headers({ fetchSite: 'same-site', origin: 'http://admin.example.com:8000' }))).toBe(false);
    expect(sameOrigin(headers({ fetchSite: 'same-origin', origin: 'http://admin.example.com:8000' }))).toBe(true);
  });
  it('needs the admin header for calls', () => {
    expect(csrfSafeCall(headers({ callHeader: '' }))).toBe(false);
    expect(csrfSafeCall(headers({ callHeader: 'yes' }))).toBe(false);
    expect(csrfSafeCall(headers({}))).toBe(true);
  });
});

describe('cookies', () => {
  it('finds the session among others and writes an httpOnly, SameSite=Strict cookie', () => {
    expect(cookieValue('a=1; ringcast_admin=v1.2.n.s; b=2', 'ringcast_admin')).toBe('v1.2.n.s');
    expect(cookieValue('a=1', 'ringcast_admin')).toBe('');
    expect(sessionCookie('v', '/admin', 60, false)).toBe('ringcast_admin=v; Path=/admin; Max-Age=60; HttpOnly; SameSite=Strict');
    expect(sessionCookie('', '/ops/admin', 0, true)).toBe('ringcast_admin=; Path=/ops/admin; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });
});

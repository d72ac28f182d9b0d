import type { HttpRequest } from 'uWebSockets.js';
import { originAllowed } from '../transport/origin-check.js';

// What the admin endpoints read from a request, copied out of uWS's request object (valid only during the
// handler), and the rules that keep other sites from acting through an admin's browser.

/** The header every admin call must carry: a cross-site form cannot set it, and cross-site fetch needs CORS we never grant. */
export const adminCallHeader = 'x-ringcast-admin';
export const sessionCookieName = 'ringcast_admin';

export interface AdminRequestHeaders {
  origin: string;
  host: string;
  forwardedHost: string;
  forwardedProto: string;
  fetchSite: string;
  callHeader: string;
  cookie: string;
  contentType: string;
}

export function readAdminHeaders(req: HttpRequest): AdminRequestHeaders {
  return {
    origin: req.getHeader('origin'),
    host: req.getHeader('host'),
    forwardedHost: req.getHeader('x-forwarded-host'),
    forwardedProto: req.getHeader('x-forwarded-proto'),
    fetchSite: req.getHeader('sec-fetch-site'),
    callHeader: req.getHeader(adminCallHeader),
    cookie: req.getHeader('cookie'),
    contentType: req.getHeader('content-type'),
  };
}

/**
 * Whether a state-changing request may come from where it came from: a browser's `Origin` (when sent) must be
 * this host (or the host a proxy in front forwarded), and a browser that says the request is cross-site is refused.
 * Non-browser clients send neither header and carry no ambient cookie, so they pass this check.
 */
export function sameOrigin(h: AdminRequestHeaders): boolean {
  if (h.fetchSite === 'cross-site' || h.fetchSite === 'same-site') return false;
  if (h.origin === '') return true;
  if (h.origin === 'null') return false;
  if (originAllowed(h.origin, h.host, [])) return true;
  return h.forwardedHost !== '' && originAllowed(h.origin, h.forwardedHost.split(',')[0]!.trim(), []);
}

/** Admin calls (fetch from the UI): the custom header and a same-origin request. */
export function csrfSafeCall(h: AdminRequestHeaders): boolean {
  return h.callHeader === '1' && sameOrigin(h);
}

/** The value of one cookie, or '' when absent. */
export function cookieValue(header: string, name: string): string {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return '';
}

/** The Set-Cookie header value for a session (or, with an empty value and max age 0, for clearing it). */
export function sessionCookie(value: string, path: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [`${sessionCookieName}=${value}`, `Path=${path}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

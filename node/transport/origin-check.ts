/**
 * Centrifugo's origin rule for browser connections: no Origin header (not a browser) passes; otherwise the
 * origin must match one of `allowed` (exact, `*`, or with `*` wildcards such as `https://*.example.com`);
 * with nothing configured the origin's host must equal the request's Host.
 */
export function originAllowed(origin: string, host: string, allowed: readonly string[]): boolean {
  if (origin === '') return true;
  const normalized = origin.toLowerCase();
  if (allowed.length === 0) {
    try {
      return new URL(normalized).host === host.toLowerCase();
    } catch {
      return false;
    }
  }
  for (const pattern of allowed) {
    if (pattern === '*') return true;
    if (matchesPattern(normalized, pattern.toLowerCase())) return true;
  }
  return false;
}

function matchesPattern(origin: string, pattern: string): boolean {
  if (!pattern.includes('*')) return origin === pattern;
  const regex = new RegExp('^' + pattern.split('*').map(escapeRegex).join('[^/]*') + '$');
  return regex.test(origin);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

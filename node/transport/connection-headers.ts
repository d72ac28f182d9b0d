import type { HttpRequest } from 'uWebSockets.js';

/**
 * The headers of a connection request (WebSocket upgrade, HTTP-streaming/SSE request) that proxies pass on to the
 * backend (`http_headers`), by lower-case name; undefined when no proxy wants any, so connections keep nothing.
 * Must run inside the request handler, while `req` is valid.
 */
export function connectionHeaders(req: HttpRequest, names: readonly string[]): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const name of names) {
    const value = req.getHeader(name);
    if (value !== '') (headers ??= {})[name] = value;
  }
  return headers;
}

import type { HttpResponse } from 'uWebSockets.js';

/** Per-request state kept after the handler returns; `aborted` guards every late write. */
export interface ResponseGuard {
  aborted: boolean;
}

/** Writes a complete response if the client is still there; corked so it leaves in one syscall. */
export function respond(
  res: HttpResponse,
  guard: ResponseGuard,
  status: string,
  body: string | Uint8Array,
  contentType = 'application/json',
  extraHeaders?: Record<string, string>,
): void {
  if (guard.aborted) return;
  guard.aborted = true;
  res.cork(() => {
    res.writeStatus(status).writeHeader('Content-Type', contentType);
    if (extraHeaders) for (const [name, value] of Object.entries(extraHeaders)) res.writeHeader(name, value);
    res.end(body);
  });
}

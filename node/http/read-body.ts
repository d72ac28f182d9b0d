import type { HttpResponse } from 'uWebSockets.js';
import type { ResponseGuard } from './respond.js';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads a request body up to `limit` bytes. uWS hands chunks that are only valid during the callback, so each
 * is copied. Must be called synchronously inside the route handler; `onAborted` is registered here and marks
 * `guard` aborted whenever the client goes away — also after the body was read, while an answer is still being
 * worked out (writing to an aborted response would throw).
 */
export function readBody(res: HttpResponse, limit: number, guard: ResponseGuard, done: (result: BodyResult) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  res.onAborted(() => {
    guard.aborted = true;
    if (finished) return;
    finished = true;
    done({ ok: false, reason: 'aborted' });
  });
  res.onData((chunk, isLast) => {
    if (finished) return;
    size += chunk.byteLength;
    if (size > limit) {
      finished = true;
      done({ ok: false, reason: 'too_large' });
      return;
    }
    chunks.push(Buffer.from(chunk.slice(0)));
    if (isLast) {
      finished = true;
      done({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    }
  });
}

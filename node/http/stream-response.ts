import type { HttpResponse } from 'uWebSockets.js';

export type Chunk = string | Uint8Array;

export type StreamBody = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' };

function chunkLength(chunk: Chunk): number {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
}

function concat(chunks: readonly Chunk[]): Chunk {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.every((c) => typeof c === 'string')) return chunks.join('');
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}

/**
 * A long-lived chunked uWS response that frames are streamed into (HTTP-streaming and SSE transports).
 *
 * Backpressure, as this uWS build behaves (checked against a reader that stops reading):
 * - `write` always accepts the chunk; `false` means uWS kept part of it in its own buffer.
 * - With no `onWritable` handler uWS drains that buffer by itself but then arms its 10 s HTTP idle timeout,
 *   which kills the stream 10 s later however much is still written. So a handler is always registered.
 * - With a handler uWS drains nothing by itself: only a write from the handler pushes its buffer out.
 * Hence: once a write reports backpressure, later chunks wait in `pending` (bounded by the session, which
 * closes the connection with 3008 past `client.queue_max_size`), and the writable handler writes them, or
 * `filler` (bytes the client ignores) when nothing waits, so the buffer always drains.
 */
export class StreamResponse {
  aborted = false;
  ended = false;
  /** Called once when the client goes away (never after `end` or `abort`). */
  onClientGone: () => void = () => undefined;

  private headSent = false;
  private backpressured = false;
  private pending: Chunk[] = [];
  private pendingBytes = 0;
  /** Upper bound of what uWS holds in its buffer: the size of the writes it reported as not fully sent. */
  private heldByUws = 0;

  /** Whether the status and headers went out (after that only the stream itself can say anything). */
  get started(): boolean {
    return this.headSent;
  }

  constructor(
    private readonly res: HttpResponse,
    private readonly head: { status: string; headers: Record<string, string> },
    private readonly filler: Chunk,
  ) {
    res.onAborted(() => {
      if (this.aborted) return;
      this.aborted = true;
      if (!this.ended) this.onClientGone();
    });
    res.onWritable(() => this.drain());
  }

  /** Reads the request body (copying uWS's transient chunks) up to `limit` bytes. Call inside the handler. */
  readBody(limit: number, done: (result: StreamBody) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    this.res.onData((chunk, isLast) => {
      if (finished || this.aborted) return;
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

  /** Sends the status and headers now (SSE does, so the EventSource opens before the first event). */
  start(preamble: Chunk): void {
    if (this.aborted || this.ended || this.headSent) return;
    this.res.cork(() => {
      this.writeHead();
      if (chunkLength(preamble) > 0) this.afterWrite(this.res.write(preamble), preamble);
    });
  }

  write(chunk: Chunk): void {
    if (this.aborted || this.ended) return;
    if (this.backpressured) {
      this.pending.push(chunk);
      this.pendingBytes += chunkLength(chunk);
      return;
    }
    this.res.cork(() => {
      if (!this.headSent) this.writeHead();
      this.afterWrite(this.res.write(chunk), chunk);
    });
  }

  bufferedAmount(): number {
    return this.aborted || this.ended ? 0 : this.heldByUws + this.pendingBytes;
  }

  /** Writes what is pending and `last`, then ends the response (uWS sends what it still holds). */
  end(last?: Chunk): void {
    if (this.aborted || this.ended) return;
    this.ended = true;
    if (last !== undefined) this.pending.push(last);
    const rest = this.pending.length > 0 ? concat(this.pending) : undefined;
    this.pending = [];
    this.pendingBytes = 0;
    this.res.cork(() => {
      if (!this.headSent) this.writeHead();
      if (rest !== undefined && chunkLength(rest) > 0) this.res.write(rest);
      this.res.end();
    });
  }

  /** Ends a response that never started streaming with a complete one (errors before the stream). */
  reject(status: string, body: string, headers: Record<string, string> = {}): void {
    if (this.aborted || this.ended || this.headSent) return;
    this.ended = true;
    this.res.cork(() => {
      this.res.writeStatus(status).writeHeader('Content-Type', 'text/plain; charset=utf-8');
      for (const [name, value] of Object.entries(headers)) this.res.writeHeader(name, value);
      this.res.end(body);
    });
  }

  /** Drops the connection at once (slow clients: what they have not read is not worth sending). */
  abort(): void {
    if (this.aborted || this.ended) return;
    this.ended = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.res.close();
  }

  private writeHead(): void {
    this.headSent = true;
    this.res.writeStatus(this.head.status);
    for (const [name, value] of Object.entries(this.head.headers)) this.res.writeHeader(name, value);
  }

  private afterWrite(ok: boolean, chunk: Chunk): void {
    if (ok) {
      this.backpressured = false;
      this.heldByUws = 0;
    } else {
      this.backpressured = true;
      this.heldByUws += chunkLength(chunk);
    }
  }

  private drain(): boolean {
    if (this.aborted || this.ended || !this.backpressured) return true;
    const chunk = this.pending.length > 0 ? concat(this.pending) : this.filler;
    this.pending = [];
    this.pendingBytes = 0;
    const ok = this.res.write(chunk);
    this.afterWrite(ok, chunk);
    return ok;
  }
}

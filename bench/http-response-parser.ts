/**
 * Splits a stream of pipelined HTTP/1.1 responses into (status, body) pairs. Handles Content-Length and
 * chunked bodies (Go's net/http uses either); nothing else a server API reply needs.
 */
export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpParseError extends Error {
  readonly code = 'BENCH_HTTP_PARSE';
}

export class HttpResponseParser {
  private buffer = '';

  /** Feeds bytes (latin1-decoded, so lengths are byte lengths) and returns the responses completed by them. */
  push(chunk: string): HttpResponse[] {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    const out: HttpResponse[] = [];
    for (;;) {
      const parsed = this.parseOne();
      if (!parsed) break;
      out.push(parsed);
    }
    return out;
  }

  get pendingBytes(): number {
    return this.buffer.length;
  }

  private parseOne(): HttpResponse | null {
    const headerEnd = this.buffer.indexOf('\r\n\r\n');
    if (headerEnd === -1) {
      if (this.buffer.length > 65536) throw new HttpParseError('response headers longer than 64 KiB');
      return null;
    }
    const head = this.buffer.slice(0, headerEnd);
    const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!statusMatch) throw new HttpParseError(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`);
    const status = Number(statusMatch[1]);
    const bodyStart = headerEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      const end = bodyStart + Number(length[1]);
      if (this.buffer.length < end) return null;
      const body = this.buffer.slice(bodyStart, end);
      this.buffer = this.buffer.slice(end);
      return { status, body };
    }
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return this.parseChunked(status, bodyStart);
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      this.buffer = this.buffer.slice(bodyStart);
      return { status, body: '' };
    }
    throw new HttpParseError('response has neither Content-Length nor chunked encoding');
  }

  private parseChunked(status: number, bodyStart: number): HttpResponse | null {
    let pos = bodyStart;
    let body = '';
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', pos);
      if (lineEnd === -1) return null;
      const size = parseInt(this.buffer.slice(pos, lineEnd), 16);
      if (Number.isNaN(size)) throw new HttpParseError('bad chunk size');
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // Last chunk, no trailers expected: the terminating empty line follows.
        const end = this.buffer.indexOf('\r\n', dataStart);
        if (end === -1) return null;
        this.buffer = this.buffer.slice(end + 2);
        return { status, body };
      }
      if (this.buffer.length < dataStart + size + 2) return null;
      body += this.buffer.slice(dataStart, dataStart + size);
      pos = dataStart + size + 2;
    }
  }
}

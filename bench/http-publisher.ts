import { connect, type Socket } from 'node:net';
import { nowUs } from './clock.js';
import { Histogram } from './histogram.js';
import { HttpResponseParser } from './http-response-parser.js';
import { paddingFor, publicationData } from './payload.js';

/** The server API endpoint, parsed from `--api-url`. */
export interface ApiTarget {
  host: string;
  port: number;
  /** The API prefix without a trailing slash, e.g. `/api`. */
  prefix: string;
  key: string;
}

export class ApiUrlError extends Error {
  readonly code = 'BENCH_BAD_API_URL';
}

export function parseApiUrl(url: string, key: string): ApiTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ApiUrlError(`--api-url ${url} is not a URL; use e.g. http://127.0.0.1:8000/api`, { cause });
  }
  if (parsed.protocol !== 'http:') throw new ApiUrlError(`--api-url ${url}: only http:// is supported`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 80,
    prefix: parsed.pathname.replace(/\/+$/, ''),
    key,
  };
}

export interface PublisherOptions {
  target: ApiTarget;
  /** Keep-alive connections; requests are pipelined on each. */
  connections: number;
  /** Requests in flight per connection at most. */
  window: number;
  payloadBytes: number;
  /** Publications per request: 1 uses `publish`, more use `batch`. */
  batch: number;
  /** Batches run their commands in parallel (`"parallel": true`) instead of one after another. */
  parallel?: boolean;
}

/** Counters since the last `takeWindow()`, plus totals. */
export interface PublisherCounters {
  requests: number;
  publications: number;
  ok: number;
  errors: number;
  /** Sends the schedule wanted but no connection had room for (dropped, never sent). */
  skipped: number;
}

/** Picks the channel of publication number `seq`. */
export type ChannelPicker = (seq: number) => string;

interface PendingRequest {
  sentUs: number;
  publications: number;
}

class ApiConnection {
  readonly inflight: PendingRequest[] = [];
  private readonly parser = new HttpResponseParser();
  readonly socket: Socket;
  ready: Promise<void>;

  constructor(
    target: ApiTarget,
    private readonly onResponse: (conn: ApiConnection, status: number, body: string) => void,
    onFailure: (err: Error) => void,
    onClose: (conn: ApiConnection) => void,
  ) {
    this.socket = connect({ host: target.host, port: target.port });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => {
      try {
        for (const r of this.parser.push(chunk)) this.onResponse(this, r.status, r.body);
      } catch (err) {
        onFailure(err as Error);
        this.socket.destroy();
      }
    });
    this.socket.on('error', (err) => onFailure(err));
    this.socket.once('close', () => onClose(this));
  }
}

/**
 * Publishes through the HTTP server API on pipelined keep-alive connections, at an open-loop rate set by
 * the caller (`send(n)` per tick). Request latency is measured from the write to the response.
 */
export class HttpPublisher {
  readonly latency = new Histogram();
  readonly totals: PublisherCounters = { requests: 0, publications: 0, ok: 0, errors: 0, skipped: 0 };
  private window: PublisherCounters = { requests: 0, publications: 0, ok: 0, errors: 0, skipped: 0 };
  lastError = '';
  private readonly conns: ApiConnection[] = [];
  private next = 0;
  private seq = 0;
  private readonly padding: string;
  private readonly publishHead: string;
  private readonly batchHead: string;
  private stopped = false;

  constructor(
    private readonly options: PublisherOptions,
    private readonly pick: ChannelPicker,
  ) {
    this.padding = paddingFor(options.payloadBytes);
    const t = options.target;
    const common = `HTTP/1.1\r\nHost: ${t.host}:${t.port}\r\nX-API-Key: ${t.key}\r\nContent-Type: application/json\r\nContent-Length: `;
    this.publishHead = `POST ${t.prefix}/publish ${common}`;
    this.batchHead = `POST ${t.prefix}/batch ${common}`;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.options.connections; i++) this.conns.push(this.openConnection());
    await Promise.all(this.conns.map((c) => c.ready));
  }

  private openConnection(): ApiConnection {
    return new ApiConnection(
      this.options.target,
      (conn, status, body) => this.handleResponse(conn, status, body),
      (err) => {
        this.lastError = err.message;
      },
      (conn) => this.replace(conn),
    );
  }

  /**
   * A server may close idle keep-alive connections (uWS does after 10 s): requests in flight on it are
   * lost (counted as errors) and a new connection takes its place, unless the publisher was stopped.
   */
  private replace(conn: ApiConnection): void {
    const index = this.conns.indexOf(conn);
    if (index === -1 || this.stopped) return;
    const lost = conn.inflight.length;
    if (lost > 0) {
      this.window.errors += lost;
      this.totals.errors += lost;
      this.lastError = `${lost} requests lost: the server closed an API connection`;
    }
    const next = this.openConnection();
    next.ready.catch((err: unknown) => {
      this.lastError = `API reconnect failed: ${(err as Error).message}`;
    });
    this.conns[index] = next;
  }

  /** Publications per request. */
  get batch(): number {
    return Math.max(1, this.options.batch);
  }

  get inflight(): number {
    let n = 0;
    for (const c of this.conns) n += c.inflight.length;
    return n;
  }

  /** Sends up to `n` requests now, spread over connections with room; returns how many were sent. */
  send(n: number): number {
    let sent = 0;
    const corked: Socket[] = [];
    for (let i = 0; i < n; i++) {
      const conn = this.connectionWithRoom();
      if (!conn) break;
      if (!corked.includes(conn.socket)) {
        conn.socket.cork();
        corked.push(conn.socket);
      }
      this.write(conn);
      sent++;
    }
    for (const s of corked) s.uncork();
    const skipped = n - sent;
    this.window.skipped += skipped;
    this.totals.skipped += skipped;
    return sent;
  }

  /** Counters since the previous call. */
  takeWindow(): PublisherCounters {
    const w = this.window;
    this.window = { requests: 0, publications: 0, ok: 0, errors: 0, skipped: 0 };
    return w;
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.conns) c.socket.destroy();
  }

  private connectionWithRoom(): ApiConnection | undefined {
    for (let tries = 0; tries < this.conns.length; tries++) {
      const conn = this.conns[this.next]!;
      this.next = (this.next + 1) % this.conns.length;
      if (conn.inflight.length < this.options.window && !conn.socket.destroyed) return conn;
    }
    return undefined;
  }

  private write(conn: ApiConnection): void {
    const sentUs = nowUs();
    const batch = this.options.batch;
    let body: string;
    if (batch <= 1) {
      const seq = this.seq++;
      body = '{"channel":' + JSON.stringify(this.pick(seq)) + ',"data":' + publicationData(sentUs, seq, this.padding) + '}';
    } else {
      body = '{"commands":[';
      for (let i = 0; i < batch; i++) {
        const seq = this.seq++;
        if (i > 0) body += ',';
        body += '{"publish":{"channel":' + JSON.stringify(this.pick(seq)) + ',"data":' + publicationData(sentUs, seq, this.padding) + '}}';
      }
      body += this.options.parallel ? '],"parallel":true}' : ']}';
    }
    const head = batch <= 1 ? this.publishHead : this.batchHead;
    conn.socket.write(head + body.length + '\r\n\r\n' + body, 'latin1');
    const publications = Math.max(1, batch);
    conn.inflight.push({ sentUs, publications });
    this.window.requests++;
    this.totals.requests++;
    this.window.publications += publications;
    this.totals.publications += publications;
  }

  private handleResponse(conn: ApiConnection, status: number, body: string): void {
    const request = conn.inflight.shift();
    if (!request) return;
    this.latency.record(nowUs() - request.sentUs);
    if (status === 200 && body.indexOf('"error"') === -1) {
      this.window.ok++;
      this.totals.ok++;
    } else {
      this.window.errors++;
      this.totals.errors++;
      this.lastError = `HTTP ${status}: ${body.slice(0, 200)}`;
    }
  }
}

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { FrameReader, Opcode, encodeClientFrame, type FrameSink } from './ws-frames.js';

/** Where to connect: parsed once from `--url`. */
export interface WsTarget {
  host: string;
  port: number;
  /** Path and query, e.g. `/connection/websocket`. */
  path: string;
  /** Whether the host is a loopback address (source addresses may then be spread over 127.0.0.0/8). */
  loopback: boolean;
}

export class WsUrlError extends Error {
  readonly code = 'BENCH_BAD_URL';
}

export function parseWsUrl(url: string): WsTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new WsUrlError(`--url ${url} is not a URL; use e.g. ws://127.0.0.1:8000/connection/websocket`, { cause });
  }
  if (parsed.protocol !== 'ws:') {
    throw new WsUrlError(`--url ${url}: only ws:// is supported (benchmarks run without TLS)`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 80,
    path: (parsed.pathname || '/') + parsed.search,
    loopback: host === 'localhost' || host.startsWith('127.') || host === '::1',
  };
}

/**
 * Batches reads for throughput runs: a connection stops reading after each read and all paused connections
 * resume together every `intervalMs`, so each read returns the messages of that interval at once. The
 * server's work is unchanged (its writes land in the kernel's socket buffers either way); the generator's
 * per-message cost falls; latencies grow by up to the interval.
 */
export class ReadPacer {
  private paused: WsConnection[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly intervalMs: number) {
    this.timer = setInterval(() => this.resumeAll(), intervalMs);
  }

  hold(conn: WsConnection): void {
    this.paused.push(conn);
  }

  resumeAll(): void {
    const list = this.paused;
    this.paused = [];
    for (const conn of list) conn.resumeReading();
  }

  stop(): void {
    clearInterval(this.timer);
    this.resumeAll();
  }
}

/** What a connection reports to its owner. Methods, not closures, so one handler object serves thousands. */
export interface WsEvents {
  open(conn: WsConnection): void;
  /** A text or binary message; `data[start, end)` is valid only during the call. */
  message(conn: WsConnection, data: Buffer, start: number, end: number): void;
  /** The connection ended: `code` is the close frame's code, 1006 when the socket just went away. */
  closed(conn: WsConnection, code: number, reason: string): void;
}

const enum State {
  Connecting,
  Handshake,
  Open,
  Closed,
}

/**
 * One client WebSocket on a raw TCP socket. Reads land in one buffer shared by every connection of the
 * process (`net.connect`'s `onread`), so receiving allocates nothing per read beyond a view of that buffer.
 */
export class WsConnection implements FrameSink {
  /** Owner's slot for per-connection state (index, channel, readiness). */
  tag = 0;
  /** Set by the owner once the client is ready, to batch its reads (throughput runs only). */
  pacer: ReadPacer | null = null;
  private lastReadMs = 0;
  private state = State.Connecting;
  private readonly socket: Socket;
  private readonly reader = new FrameReader();
  private handshake = '';
  private closeCode = 1006;
  private closeReason = '';
  private static readonly mask = randomBytes(4);

  constructor(
    target: WsTarget,
    localAddress: string | undefined,
    private readonly events: WsEvents,
    shared: Buffer,
  ) {
    this.socket = connect({
      host: target.host,
      port: target.port,
      ...(localAddress ? { localAddress } : {}),
      onread: { buffer: shared, callback: (n: number, buf: Uint8Array) => this.onRead(n, buf as Buffer) },
    });
    this.socket.setNoDelay(true);
    this.socket.once('connect', () => {
      this.state = State.Handshake;
      const key = randomBytes(16).toString('base64');
      this.socket.write(
        `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('error', (err) => {
      if (this.closeReason === '') this.closeReason = err.message;
    });
    this.socket.once('close', () => this.finish());
  }

  get isOpen(): boolean {
    return this.state === State.Open;
  }

  sendText(text: string): void {
    if (this.state !== State.Open) return;
    this.socket.write(encodeClientFrame(Opcode.text, Buffer.from(text), WsConnection.mask));
  }

  /** Closes with a close frame (the polite way). */
  close(code = 1000): void {
    if (this.state === State.Open) {
      const payload = Buffer.allocUnsafe(2);
      payload.writeUInt16BE(code, 0);
      this.socket.end(encodeClientFrame(Opcode.close, payload, WsConnection.mask));
    } else {
      this.socket.destroy();
    }
  }

  resumeReading(): void {
    if (this.state === State.Open) this.socket.resume();
  }

  /** Drops the TCP connection at once, like a client whose network went away. */
  destroy(): void {
    this.socket.destroy();
  }

  private onRead(n: number, buf: Buffer): boolean {
    if (this.state === State.Open) {
      this.reader.feed(buf.subarray(0, n), 0, n, this);
      if (this.pacer && this.state === State.Open) {
        // Only busy connections are held: one that reads rarely gains nothing from a pause and its resume.
        const now = performance.now();
        const busy = now - this.lastReadMs < this.pacer.intervalMs;
        this.lastReadMs = now;
        if (busy) {
          this.pacer.hold(this);
          return false;
        }
      }
      return true;
    }
    if (this.state !== State.Handshake) return true;
    // The upgrade response is ASCII; it may be followed by the first frames in the same read.
    this.handshake += buf.toString('latin1', 0, n);
    const headerEnd = this.handshake.indexOf('\r\n\r\n');
    if (headerEnd === -1) {
      if (this.handshake.length > 16384) this.fail('upgrade response headers too long');
      return true;
    }
    const statusLine = this.handshake.slice(0, this.handshake.indexOf('\r\n'));
    if (!/^HTTP\/1\.[01] 101 /.test(statusLine)) {
      this.fail(`upgrade refused: ${statusLine}`);
      return true;
    }
    const rest = Buffer.from(this.handshake.slice(headerEnd + 4), 'latin1');
    this.handshake = '';
    this.state = State.Open;
    this.events.open(this);
    if (rest.length > 0 && this.state === State.Open) this.reader.feed(rest, 0, rest.length, this);
    return true;
  }

  frame(opcode: number, data: Buffer, start: number, end: number): void {
    switch (opcode) {
      case Opcode.text:
      case Opcode.binary:
        this.events.message(this, data, start, end);
        return;
      case Opcode.ping:
        this.socket.write(encodeClientFrame(Opcode.pong, Buffer.from(data.subarray(start, end)), WsConnection.mask));
        return;
      case Opcode.close:
        this.closeCode = end - start >= 2 ? data.readUInt16BE(start) : 1005;
        this.closeReason = end - start > 2 ? data.toString('utf8', start + 2, end) : '';
        this.socket.end(encodeClientFrame(Opcode.close, Buffer.from(data.subarray(start, Math.min(end, start + 2))), WsConnection.mask));
        this.state = State.Closed;
        return;
      default:
        return;
    }
  }

  protocolViolation(reason: string): void {
    this.fail(reason);
  }

  private fail(reason: string): void {
    this.closeReason = reason;
    this.socket.destroy();
  }

  private finish(): void {
    const wasClosed = this.state === State.Closed && this.closeCode === -1;
    if (wasClosed) return;
    this.state = State.Closed;
    const code = this.closeCode;
    this.closeCode = -1;
    this.events.closed(this, code, this.closeReason);
  }
}

import { nowUs } from './clock.js';
import { Histogram } from './histogram.js';
import { PayloadScanner, readDecimal, timestampMarker, type ScanSink } from './payload.js';
import { RecoveryTracker, type RecoveryCounts, type SubscribeResultLike } from './recovery-tracker.js';
import { loopbackSourceAddress } from './source-address.js';
import { TokenSigner, connectCommand } from './tokens.js';
import type { ClientSpec, OpenResult, PoolOptions, SubscriberSample, Subscribers } from './subscribers.js';
import { ReadPacer, WsConnection, type WsEvents } from './ws-connection.js';

const enum Stage {
  Idle = 0,
  Setup = 1,
  Ready = 2,
  Failed = 3,
}

/**
 * Many subscriber connections in one process: opens them with bounded concurrency (connect and subscribe in
 * one frame), answers server pings, and on the hot path only scans raw frames for the payload timestamp to
 * count deliveries and record their latency.
 */
export class SubscriberPool implements WsEvents, ScanSink, Subscribers {
  /** Delivery latency (µs); scenarios reset it per measurement window. */
  readonly latency = new Histogram();
  deliveries = 0;
  pings = 0;
  /** Close codes of connections that went away on their own (not dropped by the harness), with counts. */
  readonly unexpectedCloses = new Map<number, number>();
  readonly errors: string[] = [];
  private readonly shared = Buffer.allocUnsafe(256 * 1024);
  private readonly scanner = new PayloadScanner();
  private readonly signer: TokenSigner | undefined;
  private readonly tracker = new RecoveryTracker();
  private specs: ClientSpec[] = [];
  private frames: string[] = [];
  private conns: (WsConnection | undefined)[] = [];
  private stage = new Uint8Array(0);
  private remaining = new Int32Array(0);
  private setupStart = new Float64Array(0);
  private readonly setupLatency = new Histogram();
  private liveCount = 0;
  private lastData: Buffer | null = null;
  private now = 0;
  private batch: { end: number; next: number; inflight: number; done: number; total: number; resolve: () => void } | null = null;

  private readonly pacer: ReadPacer | null;

  constructor(private readonly options: PoolOptions) {
    this.pacer = options.readIntervalMs ? new ReadPacer(options.readIntervalMs) : null;
    this.signer = options.auth.kind === 'token' ? new TokenSigner(options.auth.secret) : undefined;
  }

  /** Connections currently connected and subscribed. */
  get live(): number {
    return this.liveCount;
  }

  get size(): number {
    return this.specs.length;
  }

  /** Adds clients (signing their tokens now, so signing does not slow the connect phase). */
  async add(specs: readonly ClientSpec[]): Promise<void> {
    const start = this.specs.length;
    // A recoverable client keeps only its connect command: its subscribes change with its positions.
    const frames = await Promise.all(
      specs.map(async (spec) => {
        const connect = await connectCommand(this.options.auth, this.signer, spec.user);
        return spec.recoverable ? connect : connect + subscribeLines(spec.channels, () => '');
      }),
    );
    this.specs.push(...specs);
    this.frames.push(...frames);
    const n = this.specs.length;
    this.stage = grow(this.stage, n, Uint8Array);
    this.remaining = grow(this.remaining, n, Int32Array);
    this.setupStart = grow(this.setupStart, n, Float64Array);
    for (let i = start; i < n; i++) this.conns.push(undefined);
  }

  /** Opens clients [from, to) that are not connected; resolves when each is ready or failed, or at the deadline. */
  async connect(from: number, to: number, timeoutMs: number): Promise<OpenResult> {
    if (this.batch) throw new Error('SubscriberPool.connect is already running');
    this.setupLatency.reset();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const batch = {
        end: to,
        next: from,
        inflight: 0,
        done: 0,
        total: to - from,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.batch = batch;
      this.pump();
      if (batch.total === 0) batch.resolve();
    });
    this.batch = null;
    const seconds = (performance.now() - started) / 1000;
    let ready = 0;
    let failed = 0;
    for (let i = from; i < to; i++) {
      if (this.stage[i] === Stage.Ready) ready++;
      else if (this.stage[i] === Stage.Failed) failed++;
    }
    return {
      ready,
      failed,
      pending: to - from - ready - failed,
      seconds,
      ratePerSecond: seconds > 0 ? ready / seconds : 0,
      setup: this.setupLatency.summary(),
    };
  }

  /** Drops every connection at once (the client side just goes away); these closes are expected. */
  async dropAll(): Promise<void> {
    this.release((conn) => conn.destroy());
  }

  async recovery(): Promise<RecoveryCounts> {
    return this.tracker.snapshot();
  }

  /** Closes every connection politely (close frame). */
  async closeAll(): Promise<void> {
    this.pacer?.stop();
    this.release((conn) => conn.close());
  }

  async sample(resetLatency: boolean): Promise<SubscriberSample> {
    const latency = Histogram.fromSnapshot(this.latency.snapshot());
    if (resetLatency) this.latency.reset();
    return { deliveries: this.deliveries, live: this.liveCount, pings: this.pings, latency, helperCpuSeconds: 0, helperProcesses: 0 };
  }

  async problems(): Promise<string[]> {
    const out: string[] = [];
    for (const [code, n] of this.unexpectedCloses) out.push(`${n} clients closed by the server with code ${code}`);
    return [...out, ...this.errors.slice(0, 5)];
  }

  private release(how: (conn: WsConnection) => void): void {
    for (let i = 0; i < this.conns.length; i++) {
      const conn = this.conns[i];
      if (!conn) continue;
      this.conns[i] = undefined;
      this.stage[i] = Stage.Idle;
      conn.tag = -1;
      how(conn);
    }
    this.liveCount = 0;
  }

  private pump(): void {
    const b = this.batch;
    if (!b) return;
    while (b.inflight < this.options.concurrency && b.next < b.end) {
      const i = b.next++;
      if (this.stage[i] === Stage.Ready) {
        b.done++;
        continue;
      }
      b.inflight++;
      this.stage[i] = Stage.Setup;
      this.remaining[i] = 1 + this.specs[i]!.channels.length;
      this.setupStart[i] = performance.now();
      const local = this.options.spreadSources && this.options.target.loopback ? loopbackSourceAddress(i) : undefined;
      const conn = new WsConnection(this.options.target, local, this, this.shared);
      conn.tag = i;
      this.conns[i] = conn;
    }
    if (b.done >= b.total) b.resolve();
  }

  private settle(i: number, stage: Stage): void {
    const was = this.stage[i];
    this.stage[i] = stage;
    if (stage === Stage.Ready) {
      this.liveCount++;
      this.setupLatency.record((performance.now() - this.setupStart[i]!) * 1000);
    }
    const b = this.batch;
    if (b && was === Stage.Setup && i < b.end) {
      b.inflight--;
      b.done++;
      this.pump();
    }
  }

  // ---- WsEvents ----

  open(conn: WsConnection): void {
    const i = conn.tag;
    if (i < 0) return;
    const spec = this.specs[i]!;
    const frame = this.frames[i]!;
    conn.sendText(spec.recoverable ? frame + subscribeLines(spec.channels, (k) => this.tracker.subscribeFields(i, k)) : frame);
  }

  message(conn: WsConnection, data: Buffer, start: number, end: number): void {
    const i = conn.tag;
    if (i < 0) return;
    if (data !== this.lastData) {
      this.lastData = data;
      this.now = nowUs();
    }
    if (this.stage[i] === Stage.Setup) {
      this.setupFrame(conn, i, data.toString('utf8', start, end));
      return;
    }
    if (this.specs[i]!.recoverable) this.trackPushes(i, data.toString('utf8', start, end));
    if (this.scanner.scan(data, start, end, this)) {
      conn.sendText('{}');
      this.pings++;
    }
  }

  closed(conn: WsConnection, code: number, reason: string): void {
    const i = conn.tag;
    if (i < 0 || this.conns[i] !== conn) return;
    this.conns[i] = undefined;
    if (this.stage[i] === Stage.Ready) {
      this.liveCount--;
      this.unexpectedCloses.set(code, (this.unexpectedCloses.get(code) ?? 0) + 1);
      this.noteError(`client ${i} closed: ${code} ${reason}`);
      this.stage[i] = Stage.Failed;
      return;
    }
    if (this.stage[i] === Stage.Setup) {
      this.noteError(`client ${i} closed during setup: ${code} ${reason}`);
      this.settle(i, Stage.Failed);
    }
  }

  timestamp(timeUs: number): void {
    this.deliveries++;
    this.latency.record(this.now - timeUs);
  }

  /** Before a client is ready its frames are few: parse them properly (replies, errors, early pushes). */
  private setupFrame(conn: WsConnection, i: number, text: string): void {
    for (const line of text.split('\n')) {
      if (line === '{}') {
        conn.sendText('{}');
        this.pings++;
        continue;
      }
      const at = line.indexOf(timestampMarker);
      if (at !== -1 && !line.startsWith('{"id"')) {
        if (this.specs[i]!.recoverable) this.trackPushes(i, line);
        const value = readDecimal(Buffer.from(line.slice(at + timestampMarker.length, at + timestampMarker.length + 20)), 0, 20);
        if (value >= 0) this.timestamp(value);
        continue;
      }
      let reply: unknown;
      try {
        reply = JSON.parse(line);
      } catch {
        this.noteError(`client ${i}: unparsable frame ${line.slice(0, 120)}`);
        continue;
      }
      if (!isObject(reply) || typeof reply['id'] !== 'number') continue;
      const k = reply['id'] - 2;
      if (this.specs[i]!.recoverable && k >= 0) {
        const result = reply['subscribe'];
        this.tracker.subscribed(i, k, isObject(result) ? (result as SubscribeResultLike) : undefined);
      }
      if (reply['error'] !== undefined) {
        this.noteError(`client ${i} (${this.specs[i]!.user}): ${JSON.stringify(reply['error'])}`);
        this.settle(i, Stage.Failed);
        conn.tag = -1;
        this.conns[i] = undefined;
        conn.close();
        return;
      }
      this.remaining[i] = this.remaining[i]! - 1;
      if (this.remaining[i] === 0) {
        this.settle(i, Stage.Ready);
        conn.pacer = this.pacer;
      }
    }
  }

  /** Moves the positions of a recoverable client past the publications pushed in `text`. */
  private trackPushes(i: number, text: string): void {
    const channels = this.specs[i]!.channels;
    for (const line of text.split('\n')) {
      if (!line.startsWith('{"push"')) continue;
      let push: unknown;
      try {
        push = (JSON.parse(line) as { push?: unknown }).push;
      } catch {
        continue;
      }
      if (!isObject(push) || !isObject(push['pub'])) continue;
      const k = channels.indexOf(String(push['channel']));
      const offset = push['pub']['offset'];
      if (k >= 0 && typeof offset === 'number') this.tracker.published(i, k, offset);
    }
  }

  private noteError(message: string): void {
    if (this.errors.length < 20) this.errors.push(message);
  }
}

/** Subscribe commands (ids 2, 3, …) after a connect command, each with `extra(k)` after its channel. */
function subscribeLines(channels: readonly string[], extra: (k: number) => string): string {
  let out = '';
  channels.forEach((channel, k) => {
    out += `\n{"id":${k + 2},"subscribe":{"channel":${JSON.stringify(channel)}${extra(k)}}}`;
  });
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(
  array: T,
  length: number,
  Ctor: new (n: number) => T,
): T {
  if (array.length >= length) return array;
  const next = new Ctor(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}


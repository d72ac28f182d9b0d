import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Histogram, type HistogramSnapshot } from './histogram.js';
import type { RecoveryCounts } from './recovery-tracker.js';
import { loopbackSourceAddress } from './source-address.js';
import type { ClientSpec, OpenResult, PoolOptions, SubscriberSample, Subscribers } from './subscribers.js';
import { TokenSigner, connectCommand } from './tokens.js';

interface NativeStats {
  ev: 'stats';
  deliveries: number;
  pings: number;
  live: number;
  latency: HistogramSnapshot;
  cpuSeconds: number;
  closes: Record<string, number>;
  errors: string[] | null;
  recovery: RecoveryCounts;
}

interface NativeConnected {
  ev: 'connected';
  ready: number;
  failed: number;
  pending: number;
  seconds: number;
  setup: HistogramSnapshot;
}

/**
 * Subscribers held by the native helper (test/bench/native-subscriber, Go standard library only), for
 * saturation runs where one Node process cannot read fast enough. Same clients, same frames, same
 * histogram layout as the in-process pool; the helper's CPU counts as the generator's.
 */
export class NativeSubscribers implements Subscribers {
  private readonly child: ChildProcess;
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly signer: TokenSigner | undefined;
  private count = 0;
  private exited: string | null = null;

  constructor(
    binary: string,
    private readonly options: PoolOptions,
  ) {
    const t = options.target;
    this.child = spawn(binary, ['-host', t.host, '-port', String(t.port), '-path', t.path], {
      // GOMAXPROCS is inherited: on a bigger machine the helper may read on several cores.
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.signer = options.auth.kind === 'token' ? new TokenSigner(options.auth.secret) : undefined;
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.once('exit', (code, signal) => {
      this.exited = `native subscriber exited (${code ?? signal})`;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ ev: 'error', message: this.exited }));
    });
  }

  get size(): number {
    return this.count;
  }

  private async request<T>(command: object): Promise<T> {
    if (this.exited) throw new Error(this.exited);
    const reply = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin!.write(JSON.stringify(command) + '\n');
    const parsed = JSON.parse(await reply) as { ev: string; message?: string };
    if (parsed.ev === 'error') throw new Error(parsed.message ?? 'native subscriber error');
    return parsed as T;
  }

  async add(specs: readonly ClientSpec[]): Promise<void> {
    const spread = this.options.spreadSources && this.options.target.loopback;
    for (let start = 0; start < specs.length; start += 1000) {
      const chunk = specs.slice(start, start + 1000);
      const clients = await Promise.all(
        chunk.map(async (spec, k) => {
          // The helper writes the subscribe commands (a recoverable client's change with its positions).
          const frame = await connectCommand(this.options.auth, this.signer, spec.user);
          const index = this.count + start + k;
          return { frame, channels: spec.channels, recoverable: spec.recoverable === true, local: spread ? loopbackSourceAddress(index) : '' };
        }),
      );
      await this.request({ op: 'add', clients });
    }
    this.count += specs.length;
  }

  async connect(from: number, to: number, timeoutMs: number): Promise<OpenResult> {
    const r = await this.request<NativeConnected>({ op: 'connect', from, to, concurrency: this.options.concurrency, timeoutMs });
    return {
      ready: r.ready,
      failed: r.failed,
      pending: r.pending,
      seconds: r.seconds,
      ratePerSecond: r.seconds > 0 ? r.ready / r.seconds : 0,
      setup: Histogram.fromSnapshot(r.setup).summary(),
    };
  }

  async sample(resetLatency: boolean): Promise<SubscriberSample> {
    const s = await this.request<NativeStats>({ op: 'stats', reset: resetLatency });
    return { deliveries: s.deliveries, live: s.live, pings: s.pings, latency: Histogram.fromSnapshot(s.latency), helperCpuSeconds: s.cpuSeconds, helperProcesses: 1 };
  }

  async problems(): Promise<string[]> {
    if (this.exited) return [this.exited];
    const s = await this.request<NativeStats>({ op: 'stats', reset: false });
    const out = Object.entries(s.closes).map(([code, n]) => `${n} clients closed by the server with code ${code}`);
    return [...out, ...(s.errors ?? []).slice(0, 5)];
  }

  async dropAll(): Promise<void> {
    await this.request({ op: 'drop' });
  }

  async recovery(): Promise<RecoveryCounts> {
    return (await this.request<NativeStats>({ op: 'stats', reset: false })).recovery;
  }

  async closeAll(): Promise<void> {
    if (!this.exited) await this.request({ op: 'close' });
    this.child.stdin!.end();
  }
}

/** The native helper when a binary is given, else worker processes when asked for, else the in-process pool. */
export async function createSubscribers(binary: string | undefined, workers: number, options: PoolOptions): Promise<Subscribers> {
  if (binary) return new NativeSubscribers(binary, options);
  if (workers > 1) {
    const { WorkerSubscribers } = await import('./worker-subscribers.js');
    return WorkerSubscribers.start(workers, options);
  }
  const { SubscriberPool } = await import('./subscriber-pool.js');
  return new SubscriberPool(options);
}

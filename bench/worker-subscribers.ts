import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Histogram } from './histogram.js';
import { addRecoveryCounts, emptyRecoveryCounts, type RecoveryCounts } from './recovery-tracker.js';
import type { ClientSpec, OpenResult, PoolOptions, SubscriberSample, Subscribers } from './subscribers.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

class Worker {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: WorkerReply) => void>();
  readonly child: ChildProcess;
  exited: string | null = null;

  constructor(entry: string) {
    // execArgv is inherited, so a coordinator run through tsx forks workers through tsx too.
    this.child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: WorkerReply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    this.child.once('exit', (code, signal) => {
      this.exited = `subscriber worker exited (${code ?? signal})`;
      for (const [id, resolve] of this.pending) resolve({ id, op: 'error', message: this.exited });
      this.pending.clear();
    });
  }

  /** Resolves once the process exited; kills it after `timeoutMs`. */
  whenExited(timeoutMs: number): Promise<void> {
    if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async request<R extends WorkerReply['op']>(body: Body<WorkerRequest>, expect: R): Promise<Extract<WorkerReply, { op: R }>> {
    if (this.exited) throw new Error(this.exited);
    if (!this.child.connected) throw new Error('subscriber worker is disconnected');
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...body, id });
    });
    if (reply.op === 'error') throw new Error(reply.message);
    if (reply.op !== expect) throw new Error(`worker answered ${reply.op} to ${expect}`);
    return reply as Extract<WorkerReply, { op: R }>;
  }
}

/**
 * Subscribers spread over `count` worker processes (client i lives in worker i mod count), for machines
 * where one Node process cannot read fast enough but more cores are free. Counters are summed, latency
 * histograms merged, and the workers' CPU counts as the generator's.
 */
export class WorkerSubscribers implements Subscribers {
  private readonly workers: Worker[];
  private count = 0;

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  static async start(count: number, options: PoolOptions): Promise<WorkerSubscribers> {
    const here = fileURLToPath(import.meta.url);
    const entry = fileURLToPath(new URL(`./subscriber-worker${extname(here)}`, import.meta.url));
    const workers = Array.from({ length: count }, () => new Worker(entry));
    await Promise.all(workers.map((w) => w.request({ op: 'init', options }, 'init')));
    return new WorkerSubscribers(workers);
  }

  get size(): number {
    return this.count;
  }

  async add(specs: readonly ClientSpec[]): Promise<void> {
    const n = this.workers.length;
    const parts: ClientSpec[][] = this.workers.map(() => []);
    specs.forEach((spec, k) => parts[(this.count + k) % n]!.push(spec));
    await Promise.all(this.workers.map((w, i) => w.request({ op: 'add', specs: parts[i]! }, 'add')));
    this.count += specs.length;
  }

  /** Local index range in worker `w` of the global range [from, to). */
  private local(w: number, from: number, to: number): [number, number] {
    const n = this.workers.length;
    const first = (i: number): number => Math.max(0, Math.ceil((i - w) / n));
    return [first(from), first(to)];
  }

  async connect(from: number, to: number, timeoutMs: number): Promise<OpenResult> {
    const replies = await Promise.all(
      this.workers.map((w, i) => {
        const [a, b] = this.local(i, from, to);
        return w.request({ op: 'connect', from: a, to: b, timeoutMs }, 'connect');
      }),
    );
    const seconds = Math.max(...replies.map((r) => r.result.seconds));
    const ready = replies.reduce((s, r) => s + r.result.ready, 0);
    // Setup latency percentiles: the worst worker's (summaries do not merge).
    const worst = replies.reduce((a, r) => (r.result.setup.p99 > a.result.setup.p99 ? r : a));
    return {
      ready,
      failed: replies.reduce((s, r) => s + r.result.failed, 0),
      pending: replies.reduce((s, r) => s + r.result.pending, 0),
      seconds,
      ratePerSecond: seconds > 0 ? ready / seconds : 0,
      setup: worst.result.setup,
    };
  }

  async sample(resetLatency: boolean): Promise<SubscriberSample> {
    const replies = await Promise.all(this.workers.map((w) => w.request({ op: 'sample', reset: resetLatency }, 'sample')));
    const latency = new Histogram();
    for (const r of replies) latency.merge(r.latency);
    return {
      deliveries: replies.reduce((s, r) => s + r.deliveries, 0),
      live: replies.reduce((s, r) => s + r.live, 0),
      pings: replies.reduce((s, r) => s + r.pings, 0),
      latency,
      helperCpuSeconds: replies.reduce((s, r) => s + r.cpuSeconds, 0),
      helperProcesses: replies.length,
    };
  }

  async problems(): Promise<string[]> {
    const all = await Promise.all(this.workers.map((w) => (w.exited ? [w.exited] : w.request({ op: 'problems' }, 'problems').then((r) => r.problems))));
    return all.flat();
  }

  async dropAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ op: 'drop' }, 'drop')));
  }

  async recovery(): Promise<RecoveryCounts> {
    const replies = await Promise.all(this.workers.map((w) => w.request({ op: 'recovery' }, 'recovery')));
    return replies.reduce((sum, r) => addRecoveryCounts(sum, r.counts), emptyRecoveryCounts());
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => (w.exited || !w.child.connected ? undefined : w.request({ op: 'close' }, 'close'))));
    for (const w of this.workers) if (w.child.connected) w.child.disconnect();
    // Waited for, so the workers' CPU time is the caller's children's (the suite counts it as the generator's).
    await Promise.all(this.workers.map((w) => w.whenExited(5000)));
  }
}

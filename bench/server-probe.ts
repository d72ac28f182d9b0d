import { readFileSync } from 'node:fs';

/**
 * What the harness can observe of the server: CPU time and memory from /proc when it runs on this machine
 * (`--server-pid`), otherwise from its Prometheus `/metrics` (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, and the runtime's heap gauge: Node's or Go's).
 */
export interface ServerSample {
  /** When the sample was taken (ms, performance.now()). */
  atMs: number;
  /** Cumulative CPU seconds (user + system); NaN when unknown. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak RSS since the process started (from /proc only). */
  peakRssBytes: number;
  /** Live heap: Node's `nodejs_heap_size_used_bytes` or Go's `go_memstats_heap_inuse_bytes`. */
  heapBytes: number;
}

/** Kernel-wide TCP numbers from /proc/net/sockstat (both ends of loopback connections count). */
export interface SockStat {
  tcpInUse: number;
  /** Pages the kernel holds for TCP socket buffers. */
  tcpMemPages: number;
  socketsUsed: number;
}

const clockTicks = 100; // USER_HZ on Linux x86-64 and arm64

export function readProcCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks;
}

/** CPU seconds of this process's children that have exited and been waited for (cutime + cstime). */
export function readReapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / clockTicks;
}

export function readProcMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

export function parseSockStat(text: string): SockStat {
  const tcp = /^TCP: inuse (\d+) orphan \d+ tw \d+ alloc \d+ mem (\d+)/m.exec(text);
  const sockets = /^sockets: used (\d+)/m.exec(text);
  return {
    tcpInUse: tcp ? Number(tcp[1]) : 0,
    tcpMemPages: tcp ? Number(tcp[2]) : 0,
    socketsUsed: sockets ? Number(sockets[1]) : 0,
  };
}

export function readSockStat(): SockStat {
  try {
    return parseSockStat(readFileSync('/proc/net/sockstat', 'utf8'));
  } catch {
    return { tcpInUse: 0, tcpMemPages: 0, socketsUsed: 0 };
  }
}

/** Values of the named metrics (first sample of each, labels ignored) in a Prometheus text exposition. */
export function parsePrometheus(text: string, names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space === -1) continue;
    const head = line.slice(0, space);
    const brace = head.indexOf('{');
    const name = brace === -1 ? head : head.slice(0, brace);
    if (!names.includes(name) || out.has(name)) continue;
    const value = Number(line.slice(space + 1));
    if (!Number.isNaN(value)) out.set(name, value);
  }
  return out;
}

/** The sum of every series of one metric (all label sets), or undefined when the exposition lacks it. */
export function sumPrometheus(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!Number.isNaN(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

export interface ServerCounters {
  writes?: { messages: number; writes: number };
  gc?: GcPauses;
}

/** Cumulative GC pause counts: how many, their total, and (Node) pauses at or below each bucket bound. */
export interface GcPauses {
  count: number;
  sumSeconds: number;
  /** Upper bound (seconds) → cumulative count, ascending; empty for Go's summary. */
  buckets: Array<[number, number]>;
}

export function parseGcPauses(text: string): GcPauses | undefined {
  for (const name of ['nodejs_gc_duration_seconds', 'go_gc_duration_seconds']) {
    const count = sumPrometheus(text, `${name}_count`);
    if (count === undefined) continue;
    const byBound = new Map<number, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}_bucket{`)) continue;
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (le === undefined || le === '+Inf' || Number.isNaN(value)) continue;
      byBound.set(Number(le), (byBound.get(Number(le)) ?? 0) + value);
    }
    const buckets = [...byBound.entries()].sort((a, b) => a[0] - b[0]);
    return { count, sumSeconds: sumPrometheus(text, `${name}_sum`) ?? 0, buckets };
  }
  return undefined;
}

/** GC pauses between two readings: count, pause time per second of wall time, mean, and (Node) a p99 bound. */
export interface GcWindow {
  pauses: number;
  pauseMsPerSecond: number;
  meanPauseMs: number;
  /** The bucket bound at or below which 99 % of the window's pauses fell (ms); absent for Go. */
  p99PauseMsAtMost?: number;
  maxPauseMsAtMost?: number;
}

export function gcWindow(a: GcPauses, b: GcPauses, seconds: number): GcWindow {
  const pauses = b.count - a.count;
  const sumMs = (b.sumSeconds - a.sumSeconds) * 1000;
  const window: GcWindow = {
    pauses,
    pauseMsPerSecond: seconds > 0 ? Math.round((sumMs / seconds) * 1000) / 1000 : Number.NaN,
    meanPauseMs: pauses > 0 ? Math.round((sumMs / pauses) * 1000) / 1000 : 0,
  };
  if (pauses > 0 && b.buckets.length > 0) {
    const before = new Map(a.buckets);
    const inWindow = b.buckets.map(([bound, n]) => [bound, n - (before.get(bound) ?? 0)] as const);
    const bound = (q: number): number | undefined => inWindow.find(([, n]) => n >= q * pauses)?.[0];
    const p99 = bound(0.99);
    const max = bound(1);
    // Past the last bound the pause is longer than every bucket: leave the figure out rather than guess.
    if (p99 !== undefined) window.p99PauseMsAtMost = p99 * 1000;
    if (max !== undefined) window.maxPauseMsAtMost = max * 1000;
  }
  return window;
}

const metricNames = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
  'go_memstats_heap_inuse_bytes',
] as const;

export class ServerProbe {
  /** `pids`: the server's processes (several nodes sharing one port count as one server); may be empty. */
  constructor(
    private readonly pids: readonly number[],
    private readonly metricsUrl: string | undefined,
  ) {}

  get hasPid(): boolean {
    return this.pids.length > 0;
  }

  /** Several processes behind one port: a scrape reaches one of them, so heap figures are left out. */
  get severalProcesses(): boolean {
    return this.pids.length > 1;
  }

  async sample(): Promise<ServerSample> {
    const atMs = performance.now();
    let cpuSeconds = Number.NaN;
    let rssBytes = 0;
    let peakRssBytes = 0;
    let heapBytes = 0;
    if (this.pids.length > 0) {
      cpuSeconds = this.readCpuSeconds();
      for (const pid of this.pids) {
        const memory = readProcMemory(pid);
        rssBytes += memory.rssBytes;
        peakRssBytes += memory.peakRssBytes;
      }
    }
    const metrics = this.severalProcesses ? undefined : await this.scrape();
    if (metrics) {
      if (Number.isNaN(cpuSeconds)) cpuSeconds = metrics.get('process_cpu_seconds_total') ?? Number.NaN;
      if (rssBytes === 0) rssBytes = metrics.get('process_resident_memory_bytes') ?? 0;
      heapBytes = metrics.get('nodejs_heap_size_used_bytes') ?? metrics.get('go_memstats_heap_inuse_bytes') ?? 0;
    }
    return { atMs, cpuSeconds, rssBytes, peakRssBytes, heapBytes };
  }

  private readCpuSeconds(): number {
    let sum = 0;
    for (const pid of this.pids) sum += readProcCpuSeconds(pid);
    return sum;
  }

  /**
   * The counters a load step compares before and after, from one scrape: Ringcast's messages sent and socket
   * writes (absent for a server without them, such as Centrifugo) and GC pauses. Empty without metrics.
   */
  async counters(): Promise<ServerCounters> {
    // Two scrapes through a shared port may reach different processes: their difference would mean nothing.
    if (!this.metricsUrl || this.severalProcesses) return {};
    try {
      const response = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) return {};
      const text = await response.text();
      const writes = sumPrometheus(text, 'ringcast_transport_writes_total');
      const messages = sumPrometheus(text, 'ringcast_transport_messages_sent_total') ?? 0;
      const gc = parseGcPauses(text);
      return { ...(writes !== undefined ? { writes: { messages, writes } } : {}), ...(gc ? { gc } : {}) };
    } catch {
      return {};
    }
  }

  /** CPU only, without the HTTP scrape when /proc is available (cheap enough to call every second). */
  async cpuSeconds(): Promise<number> {
    if (this.pids.length > 0) return this.readCpuSeconds();
    return (await this.scrape())?.get('process_cpu_seconds_total') ?? Number.NaN;
  }

  private async scrape(): Promise<Map<string, number> | undefined> {
    if (!this.metricsUrl) return undefined;
    try {
      const response = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) return undefined;
      return parsePrometheus(await response.text(), metricNames);
    } catch {
      return undefined;
    }
  }
}

/** Server CPU used between two samples, as a fraction of one core. */
export function cpuFraction(a: ServerSample, b: ServerSample): number {
  const wall = (b.atMs - a.atMs) / 1000;
  return wall > 0 ? (b.cpuSeconds - a.cpuSeconds) / wall : Number.NaN;
}

/**
 * The arithmetic of `ringcast bench million`, kept pure so it is tested on its own: the publish rate that
 * yields a delivery target, the memory a run needs, and the kernel settings it needs for N connections.
 */

/** Publications per second so that `deliveries`/s reach `connections` clients spread over `channels`. */
export function publishRateFor(deliveries: number, connections: number, channels: number): number {
  return (deliveries * channels) / connections;
}

/** Subscribers per channel when client i subscribes to channel i mod C (on average, for uneven splits). */
export function subscribersPerChannel(connections: number, channels: number): number {
  return connections / channels;
}

/**
 * Bytes one connection costs on this machine, where server, generator and kernel share the memory, from
 * `make bench-million MILLION_CONNECTIONS=19500` on the 2-core bench VM (bench/README.md), rounded up:
 * server: Ringcast's RSS growth per connection, JS heap included (3.4-5.0 KiB measured; 5.8 by `idle`);
 * generator: the in-process pool's RSS growth per connection (net.Socket, parser state, its connect frame
 * with the JWT; 8.0-8.3 KiB measured);
 * kernel: slab growth for both ends of a loopback connection — two sockets with their inode, dentry, file
 * and epoll item (9.7-10.0 KiB measured) — plus the little buffer memory an idle socket keeps.
 */
export const memoryPerConnection = { serverBytes: 6 * 1024, generatorBytes: 9 * 1024, kernelBytes: 11 * 1024 } as const;

/** Memory that is not per connection: the two processes' baseline and a margin for the machine. */
export const fixedMemoryBytes = 1024 * 1024 * 1024;

export interface MemoryEstimate {
  perConnectionBytes: number;
  totalBytes: number;
  availableBytes: number;
  /** A sentence for the user when the estimate does not fit; undefined when it does. */
  refusal: string | undefined;
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** Whether MemAvailable can hold `connections` (server, generator and kernel all on this machine). */
export function estimateMemory(connections: number, availableBytes: number): MemoryEstimate {
  const m = memoryPerConnection;
  const perConnectionBytes = m.serverBytes + m.generatorBytes + m.kernelBytes;
  const totalBytes = perConnectionBytes * connections + fixedMemoryBytes;
  let refusal: string | undefined;
  if (totalBytes > availableBytes) {
    const fits = Math.max(0, Math.floor((availableBytes - fixedMemoryBytes) / perConnectionBytes));
    refusal =
      `${connections} connections need about ${gib(totalBytes)} (${perConnectionBytes / 1024} KiB per connection: ` +
      `server ${m.serverBytes / 1024}, generator ${m.generatorBytes / 1024}, kernel ${m.kernelBytes / 1024}; ` +
      `plus ${gib(fixedMemoryBytes)}) but MemAvailable is ${gib(availableBytes)}; ` +
      `this machine holds about ${fits} — lower --connections or free memory`;
  }
  return { perConnectionBytes, totalBytes, availableBytes, refusal };
}

/** MemAvailable from /proc/meminfo text, bytes (0 when absent). */
export function parseMemAvailable(meminfo: string): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

/** A kernel setting under /proc/sys: its path relative to /proc/sys and the values it needs. */
export interface SysctlNeed {
  /** e.g. `fs/nr_open`. */
  key: string;
  /** Why the run needs it, for the message. */
  why: string;
  /** The value to write, given the current one; undefined when the current value already suffices. */
  raise(current: number[]): number[] | undefined;
}

const atLeast = (min: number) => (current: number[]): number[] | undefined => ((current[0] ?? 0) >= min ? undefined : [min]);

/** Descriptors a process keeps besides its connections (listeners, epoll, API connections, stdio, logs). */
export const descriptorSlack = 256;

/** File descriptors one process needs for `connections` sockets plus its own files and listeners. */
export function descriptorsFor(connections: number): number {
  return connections + descriptorSlack;
}

/**
 * Settings a run of `connections` loopback connections needs. Both ends live on this machine, so the
 * system-wide file limit covers twice N. Spread source addresses give each 127.x address only 64
 * connections, so the ephemeral port range matters only when sources are not spread.
 */
export function kernelNeeds(connections: number, spreadSources: boolean, concurrency: number): SysctlNeed[] {
  const fds = descriptorsFor(connections);
  // Connections in flight at once are at most `concurrency`; twice that leaves room for the API's and retries.
  const backlog = Math.min(Math.max(connections, 128), Math.max(1024, concurrency * 2));
  const needs: SysctlNeed[] = [
    { key: 'fs/nr_open', why: 'per-process descriptor ceiling (RLIMIT_NOFILE cannot exceed it)', raise: atLeast(fds) },
    { key: 'fs/file-max', why: 'system-wide open files: both ends of every connection', raise: atLeast(2 * connections + 65_536) },
    { key: 'net/core/somaxconn', why: 'listen backlog while connections ramp', raise: atLeast(backlog) },
    { key: 'net/ipv4/tcp_max_syn_backlog', why: 'half-open connections while ramping', raise: atLeast(backlog) },
    {
      key: 'net/ipv4/tcp_mem',
      why: 'TCP buffer pages (min pressure max): below "pressure" the kernel does not trim socket buffers',
      // Idle loopback sockets hold ~0.1 KiB; under delivery a busy socket holds a page or two. Half a page per
      // connection before pressure and a page each as the ceiling (4 GiB at 1M) keep fan-out from stalling.
      raise: (current) => {
        const [min = 0, pressure = 0, max = 0] = current;
        const wantPressure = Math.ceil(connections / 2);
        const wantMax = connections;
        return pressure >= wantPressure && max >= wantMax ? undefined : [min, Math.max(pressure, wantPressure), Math.max(max, wantMax)];
      },
    },
    {
      key: 'net/netfilter/nf_conntrack_max',
      why: 'connection tracking table (when loaded, a full table drops new connections)',
      raise: atLeast(connections + 65_536),
    },
  ];
  const portRange: SysctlNeed = {
    key: 'net/ipv4/ip_local_port_range',
    why: spreadSources ? 'ephemeral ports per source address' : 'ephemeral ports: every connection from 127.0.0.1',
    raise: (current) => {
      const [low = 0, high = 0] = current;
      const width = high - low + 1;
      const want = spreadSources ? 16_384 : connections + 1024;
      return width >= want ? undefined : [1024, 65_535];
    },
  };
  needs.push(portRange);
  return needs;
}

/** Parses a /proc/sys value ("32768\t60999") into numbers. */
export function parseSysctl(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number);
}

/**
 * The port range cannot hold N connections from one address (at most 64,512 ports): without spread
 * sources a run above that cannot start. Returns the sentence, or undefined when it fits.
 */
export function portRangeRefusal(connections: number, spreadSources: boolean, range: number[]): string | undefined {
  if (spreadSources) return undefined;
  const [low = 0, high = 0] = range;
  const width = high - low + 1;
  if (connections <= width) return undefined;
  return `${connections} connections from one source address need ${connections} ephemeral ports but net.ipv4.ip_local_port_range gives ${width} (${low}-${high}); drop --no-spread-sources (loopback targets spread over 127.0.0.0/8)`;
}

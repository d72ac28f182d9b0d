import { readFileSync } from 'node:fs';

/**
 * How busy one CPU is, whoever runs on it: on a shared machine the server's pinned core may also run other
 * processes, and a server that gets 60 % of a fully busy core was starved, not idle.
 */
export function cpuBusySeconds(cpu: number, stat = readFileSync('/proc/stat', 'utf8')): number {
  const line = stat.split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) return Number.NaN;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) / 100;
}

/** The one CPU a process is pinned to (Cpus_allowed_list of /proc/<pid>/status), undefined when not pinned to one. */
export function pinnedCpu(pid: number): number | undefined {
  try {
    const m = /^Cpus_allowed_list:\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m && /^\d+$/.test(m[1]!) ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  ringcast: string;
  centrifugo: string | undefined;
  date: string;
  loadAverage: number[];
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

export function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function centrifugoVersion(bin: string | undefined): string | undefined {
  if (!bin) return undefined;
  try {
    return firstLine(execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 10_000 }));
  } catch (err) {
    return `unknown (${(err as Error).message.slice(0, 80)})`;
  }
}

export function machineInfo(ringcastVersion: string, centrifugoBin: string | undefined): MachineInfo {
  let kernel = '';
  try {
    kernel = firstLine(readFileSync('/proc/sys/kernel/osrelease', 'utf8'));
  } catch {
    kernel = process.platform;
  }
  return {
    nproc: cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel,
    node: process.version,
    ringcast: ringcastVersion,
    centrifugo: centrifugoVersion(centrifugoBin),
    date: new Date().toISOString(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat; NaN when unavailable. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Waits until other processes use less than `thresholdCores` of CPU (measured over 2 s windows while the
 * suite itself is idle), for at most `maxWaitMs`. Returns the last measured foreign load and the time waited.
 */
export async function awaitQuietMachine(thresholdCores: number, maxWaitMs: number): Promise<{ loadCores: number; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const busy0 = machineBusySeconds();
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const self = process.cpuUsage(self0);
    const wall = (performance.now() - t0) / 1000;
    const loadCores = Math.max(0, (machineBusySeconds() - busy0 - (self.user + self.system) / 1e6) / wall);
    const waitedMs = performance.now() - started;
    if (!Number.isFinite(loadCores) || loadCores < thresholdCores || waitedMs >= maxWaitMs) {
      return { loadCores: Math.round(loadCores * 100) / 100, waitedMs: Math.round(waitedMs) };
    }
  }
}

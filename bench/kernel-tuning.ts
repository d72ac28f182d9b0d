import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { descriptorSlack, descriptorsFor, kernelNeeds, parseSysctl, portRangeRefusal } from './million-plan.js';

/** What checking (and, as root, raising) the kernel's limits did. */
export interface KernelTuning {
  /** Settings written, e.g. `fs.nr_open 1048576 -> 1004096`. */
  changed: string[];
  /** Settings still short (not root, or the write failed), with the command that would fix them. */
  short: string[];
  /** What the run cannot check or change itself (told to the user, not blocking). */
  notes: string[];
  /** Limits after tuning, as read back. */
  settings: Record<string, string>;
}

const dotted = (key: string): string => key.replaceAll('/', '.');

/** Soft and hard RLIMIT_NOFILE of a process, from /proc/<pid>/limits. */
export function readNoFile(pid: number): { soft: number; hard: number } {
  const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  const n = (s: string | undefined): number => (s === undefined || s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/**
 * Checks the kernel settings and descriptor limits `connections` loopback connections need and raises what
 * it may: sysctls as root, RLIMIT_NOFILE of this process (for its share of the clients when
 * `generatorProcesses` hold them) and of each of `serverPids` (prlimit(1); raising a hard limit needs
 * CAP_SYS_RESOURCE). Several server processes share one port: the kernel spreads connections over them by a
 * hash, so each is checked for its share plus 10 %. Nothing is lowered.
 */
export function tuneKernel(
  connections: number,
  spreadSources: boolean,
  concurrency: number,
  serverPids: readonly number[],
  generatorProcesses = 1,
): KernelTuning {
  const root = process.getuid?.() === 0;
  const changed: string[] = [];
  const short: string[] = [];
  const notes: string[] = [];
  const settings: Record<string, string> = {};
  for (const need of kernelNeeds(connections, spreadSources, concurrency)) {
    const path = `/proc/sys/${need.key}`;
    if (!existsSync(path)) continue;
    const current = parseSysctl(readFileSync(path, 'utf8'));
    const wanted = need.raise(current);
    if (wanted) {
      const value = wanted.join(' ');
      try {
        if (!root) throw new Error('not root');
        writeFileSync(path, value);
        changed.push(`${dotted(need.key)} ${current.join(' ')} -> ${value} (${need.why})`);
      } catch (err) {
        short.push(`${dotted(need.key)} is ${current.join(' ')}, needs ${value} (${need.why}): sysctl -w ${dotted(need.key)}="${value}" [${(err as Error).message}]`);
      }
    }
    settings[dotted(need.key)] = parseSysctl(readFileSync(path, 'utf8')).join(' ');
  }
  const range = parseSysctl(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
  const portShort = portRangeRefusal(connections, spreadSources, range);
  if (portShort) short.push(portShort);

  // Generator worker processes inherit this process's limit and each hold their share of the clients.
  const fds = descriptorsFor(connections);
  const processes: [string, number, number][] = [['this process', process.pid, descriptorsFor(Math.ceil(connections / generatorProcesses))]];
  const perServer = serverPids.length > 1 ? descriptorsFor(Math.ceil((connections / serverPids.length) * 1.1)) : fds;
  for (const pid of serverPids) processes.push([`server pid ${pid}`, pid, perServer]);
  for (const [who, pid, need] of processes) {
    const before = readNoFile(pid);
    if (before.soft >= need) {
      settings[`RLIMIT_NOFILE ${who}`] = `${before.soft}`;
      continue;
    }
    const hard = Math.max(before.hard === Number.POSITIVE_INFINITY ? need : before.hard, root ? need : 0);
    const soft = Math.min(need, hard);
    try {
      execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:${hard}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim() || (err as Error).message.split('\n')[0];
      const cap =
        before.hard < need
          ? `; its hard limit ${before.hard} cannot be raised without CAP_SYS_RESOURCE, so it holds at most ${before.hard - descriptorSlack} connections`
          : '';
      short.push(`RLIMIT_NOFILE of ${who} is ${before.soft}, needs ${need}: prlimit --pid ${pid} --nofile=${need}:${need} failed (${stderr})${cap}`);
      continue;
    }
    const after = readNoFile(pid);
    settings[`RLIMIT_NOFILE ${who}`] = `${after.soft}`;
    if (after.soft > before.soft) changed.push(`RLIMIT_NOFILE of ${who} ${before.soft}:${before.hard} -> ${after.soft}:${after.hard}`);
    if (after.soft < need) short.push(`RLIMIT_NOFILE of ${who} is ${after.soft} (hard ${after.hard}), needs ${need}: run as root or raise the hard limit`);
  }
  if (serverPids.length === 0) {
    notes.push(
      `no --server-pid: the server's RLIMIT_NOFILE is not checked; start it with at least ${fds} descriptors (ulimit -n ${fds}, or LimitNOFILE=${fds} in systemd)`,
    );
  }
  return { changed, short, notes, settings };
}

// One control-plane process (etcd, kube-apiserver, ...): started in its own process group with its
// output in a log file, stopped by signalling the whole group. A tiny watchdog shell kills the group
// if this Node process dies without stopping it (crash, SIGKILL), so nothing outlives a test run.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

import { KubeControlPlaneError } from './kube-errors.js';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Set once the process has exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** The last `lines` lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly logPath: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Removed by the watchdog if this Node process dies without stopping the process. */
  readonly orphanCleanupDir?: string;
}

// Waits for a line on stdin. "stop" means the owner stopped the group itself; end of file (the owner
// died) means kill the group and remove the owner's temporary directory, if one was named. Detached, so a terminal Ctrl-C reaches the owner and not the watchdog.
// POSIX sh (dash): no `kill --`; `kill -SIG -PGID` addresses the group.
const WATCHDOG_SCRIPT =
  'read -r cmd; [ "$cmd" = stop ] && exit 0; ' +
  'kill -TERM -"$1" 2>/dev/null; sleep 2; kill -KILL -"$1" 2>/dev/null; ' +
  '[ -n "$2" ] && rm -rf "$2"; exit 0';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function startWatchdog(pid: number, orphanCleanupDir: string | undefined): ChildProcess {
  const args = ['-c', WATCHDOG_SCRIPT, 'ringcast-kube-watchdog', String(pid), orphanCleanupDir ?? ''];
  const watchdog = spawn('sh', args, {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as Socket | null)?.unref();
  watchdog.stdin?.on('error', () => {});
  return watchdog;
}

export function spawnManaged(name: string, command: string, args: readonly string[], options: SpawnOptions): ManagedProcess {
  const logFd = openSync(options.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { detached: true, stdio: ['ignore', logFd, logFd], env: options.env ?? process.env });
  } finally {
    closeSync(logFd);
  }
  // Emitted (after this function returns) when the binary cannot be started; without a listener it
  // would crash the process. The missing pid below already reports that case.
  child.once('error', () => {});
  const pid = child.pid;
  if (pid === undefined) {
    throw new KubeControlPlaneError('KUBE_COMMAND_FAILED', `could not start ${name}: is ${command} executable?`);
  }
  const watchdog = startWatchdog(pid, options.orphanCleanupDir);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
  });
  const logTail = (lines = 40): string => {
    try {
      return readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  const stop = async (graceMs = 5_000): Promise<void> => {
    if (exitInfo === undefined) {
      signalGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      });
      const killed = await Promise.race([exited.then(() => false), timedOut]);
      clearTimeout(timer);
      if (killed) {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
    }
    // Anything the process may have left in its group goes too.
    signalGroup(pid, 'SIGKILL');
    watchdog.stdin?.end('stop\n');
  };

  return {
    name,
    pid,
    logPath: options.logPath,
    get exitInfo() {
      return exitInfo;
    },
    logTail,
    stop,
  };
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `killed by ${info.signal}` : `exited with code ${String(info.code)}`;
}

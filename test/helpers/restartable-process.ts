import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeExit, spawnManaged, type ManagedProcess } from './kube-process.js';
import { waitFor } from './wait-for.js';

/** What a test server needs to be (re)started on a fixed port in its own directory. */
export interface RestartableSpec {
  /** Names it in errors, e.g. `redis-server on port 1234`. */
  name: string;
  dir: string;
  command: string;
  /** Arguments of the n-th launch (1, 2, …). */
  args(generation: number): string[];
  /** Log file name of the n-th launch, inside `dir`. */
  logName(generation: number): string;
  /** Called before each launch (e.g. to remove a readiness marker). */
  beforeLaunch?(): void;
  /** True once the launched process serves. */
  ready(): Promise<boolean>;
  readyTimeoutMs: number;
}

export interface RestartableProcess {
  /** SIGKILL (nothing flushed); `start` brings it back on the same port. */
  kill(): Promise<void>;
  /** Launches it unless it runs; resolves once `ready`. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A server process the tests can kill and start again, with the same port and directory: each launch logs to
 * its own file and is awaited until ready, failing fast (with its log) when the process exits meanwhile.
 */
export function restartableProcess(spec: RestartableSpec): RestartableProcess {
  let process: ManagedProcess | undefined;
  let generation = 0;
  const launch = async (): Promise<void> => {
    generation++;
    spec.beforeLaunch?.();
    const started = spawnManaged(spec.name, spec.command, spec.args(generation), {
      logPath: join(spec.dir, spec.logName(generation)),
      orphanCleanupDir: spec.dir,
    });
    process = started;
    await waitFor(spec.name, async () => {
      if (started.exitInfo) throw new Error(`${spec.name} ${describeExit(started.exitInfo)}:\n${started.logTail()}`);
      return spec.ready();
    }, spec.readyTimeoutMs, 25);
  };
  return {
    async kill() {
      await process?.stop(0);
      process = undefined;
    },
    async start() {
      if (!process) await launch();
    },
    async stop() {
      await process?.stop(2_000);
      process = undefined;
      rmSync(spec.dir, { recursive: true, force: true });
    },
  };
}

// Real tarantool processes for tests, on free loopback ports (never 3301), each with its own work directory
// (snapshots and WAL, so a killed instance comes back with its data), stopped with everything in their process
// group when the test is done; a watchdog kills them if the test process dies first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './kube-free-port.js';
import { restartableProcess } from './restartable-process.js';
import { probeTcp } from './tcp-probe.js';

export const tarantoolTestUser = 'ringcast';
export const tarantoolTestPassword = 'ringcast-test-password';

export interface TarantoolServer {
  readonly port: number;
  /** `127.0.0.1:<port>` */
  readonly address: string;
  /** SIGKILL: what was written to the WAL comes back on `start`. */
  kill(): Promise<void>;
  /** Starts it (again) on the same port; resolves once it has bootstrapped and answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Answers once something on the port greets as Tarantool's binary protocol. */
export function greetsAsTarantool(port: number): Promise<boolean> {
  return probeTcp(port, (data) => (data.length >= 128 ? data.startsWith('Tarantool ') : undefined));
}

/** `running: false` only reserves the port and the work directory; `start` launches it. */
export async function startTarantool(options: { running?: boolean } = {}): Promise<TarantoolServer> {
  const [port] = await freeLoopbackPorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-tarantool-'));
  const init = join(dir, 'init.lua');
  // Tarantool listens (and greets) before its first snapshot is written; killed then, it cannot start again.
  // The marker is written once the bootstrap (and the test user) is done, and `start` waits for it.
  const ready = join(dir, 'ready');
  writeFileSync(
    init,
    [
      `box.cfg{listen = '127.0.0.1:${port}', work_dir = ${JSON.stringify(dir)}, memtx_memory = 64 * 1024 * 1024, log_level = 5}`,
      `box.once('ringcast-test-user', function()`,
      `  box.schema.user.create('${tarantoolTestUser}', {password = '${tarantoolTestPassword}'})`,
      `  box.schema.user.grant('${tarantoolTestUser}', 'super')`,
      `end)`,
      `require('fio').open(${JSON.stringify(ready)}, {'O_CREAT', 'O_WRONLY'}, tonumber('644', 8)):close()`,
      '',
    ].join('\n'),
  );
  const server = restartableProcess({
    name: `tarantool on port ${port}`,
    dir,
    command: 'tarantool',
    args: () => [init],
    logName: (generation) => `tarantool-${generation}.log`,
    beforeLaunch: () => rmSync(ready, { force: true }),
    ready: async () => existsSync(ready) && greetsAsTarantool(port!),
    readyTimeoutMs: 20_000,
  });
  if (options.running !== false) await server.start();
  return { port: port!, address: `127.0.0.1:${port}`, ...server };
}

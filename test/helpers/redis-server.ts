// Real redis-server processes for tests, on free loopback ports (never 6379), each in its own temporary
// directory, stopped (with everything in their process group) when the test is done; a watchdog kills them if
// the test process dies first.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './kube-free-port.js';
import { restartableProcess } from './restartable-process.js';
import { probeTcp } from './tcp-probe.js';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  /** Stops the process (SIGKILL by default: a crash, nothing flushed) and keeps the port for `start`. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Extra `redis-server` arguments, e.g. ['--requirepass', 'secret']. */
  args?: string[];
  /** Run as a Sentinel (`--sentinel`) with this config text. */
  sentinelConfig?: string;
  port?: number;
}

/** Answers once something on the port speaks RESP (PONG, or NOAUTH when a password is required). */
export function respondsToPing(port: number): Promise<boolean> {
  return probeTcp(port, (data) => (data.includes('\r\n') ? data.startsWith('+PONG') || data.startsWith('-NOAUTH') : undefined), 'PING\r\n');
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freeLoopbackPorts(1))[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-redis-'));
  const server = restartableProcess({
    name: `redis-server on port ${port}`,
    dir,
    command: 'redis-server',
    args: (generation) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
      if (options.sentinelConfig === undefined) args.push('--save', '', '--appendonly', 'no');
      const fullArgs = [...args, ...(options.args ?? [])];
      if (options.sentinelConfig !== undefined) {
        const file = join(dir, 'sentinel.conf');
        // Sentinel rewrites its config file; write it once so a restart keeps what it learnt.
        if (generation === 1) writeFileSync(file, options.sentinelConfig);
        fullArgs.unshift(file, '--sentinel');
      }
      return fullArgs;
    },
    logName: (generation) => `redis-${generation}.log`,
    ready: () => respondsToPing(port),
    readyTimeoutMs: 15_000,
  });
  await server.start();
  return { port, url: `redis://127.0.0.1:${port}`, dir, ...server };
}

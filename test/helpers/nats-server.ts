// Real nats-server processes for tests, on free loopback ports (never 4222), each in its own temporary
// directory, stopped (with everything in their process group) when the test is done; a watchdog kills them if
// the test process dies first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './kube-free-port.js';
import { restartableProcess } from './restartable-process.js';
import { probeTcp } from './tcp-probe.js';

export interface NatsServer {
  readonly port: number;
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  /** SIGKILL (nothing flushed); the port is kept for `start`. */
  kill(): Promise<void>;
  /** Starts it (again) on the same port (after `kill`, or created with `running: false`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Answers once something on the port greets with a NATS `INFO {…}` line. */
export function greetsAsNats(port: number): Promise<boolean> {
  return probeTcp(port, (data) => (data.includes('\r\n') ? data.startsWith('INFO ') : undefined));
}

/** `running: false` only reserves the port; `start` launches it. */
export async function startNatsServer(options: { args?: string[]; running?: boolean } = {}): Promise<NatsServer> {
  const [port] = await freeLoopbackPorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-nats-'));
  const server = restartableProcess({
    name: `nats-server on port ${port}`,
    dir,
    command: 'nats-server',
    args: () => ['-a', '127.0.0.1', '-p', String(port!), '-n', `ringcast-test-${port}`, ...(options.args ?? [])],
    logName: (generation) => `nats-${generation}.log`,
    ready: () => greetsAsNats(port!),
    readyTimeoutMs: 15_000,
  });
  if (options.running !== false) await server.start();
  return { port: port!, url: `nats://127.0.0.1:${port}`, ...server };
}

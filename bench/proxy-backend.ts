import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const proxyBackendKinds = ['http', 'grpc'] as const;
export type ProxyBackendKind = (typeof proxyBackendKinds)[number];

/** The connect proxy backend process of the `connect-proxy` scenario. */
export interface BenchProxyBackend {
  kind: ProxyBackendKind;
  port: number;
  /** What the server's `client.proxy.connect.endpoint` must be. */
  endpoint: string;
  /** Requests answered and CPU seconds used so far. */
  stats(): Promise<{ requests: number; cpuSeconds: number }>;
  stop(): Promise<void>;
}

type WorkerMessage = { op: 'listening'; port: number } | { op: 'stats'; requests: number; cpuSeconds: number } | { op: 'error'; message: string };

/** The endpoint a server's connect proxy uses for a backend of `kind` on `port` (loopback). */
export function benchProxyEndpoint(kind: ProxyBackendKind, port: number): string {
  return kind === 'http' ? `http://127.0.0.1:${port}/connect` : `grpc://127.0.0.1:${port}`;
}

/** Forks proxy-backend-worker (through tsx when the generator runs through it) and waits until it listens. */
export async function startBenchProxyBackend(kind: ProxyBackendKind, port: number): Promise<BenchProxyBackend> {
  const here = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(new URL(`./proxy-backend-worker${extname(here)}`, import.meta.url));
  const child: ChildProcess = fork(entry, [kind, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<WorkerMessage> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`proxy backend exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: WorkerMessage) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const first = await next();
  if (first.op !== 'listening') {
    child.kill();
    throw new Error(`proxy backend did not start: ${first.op === 'error' ? first.message : first.op}`);
  }
  return {
    kind,
    port: first.port,
    endpoint: benchProxyEndpoint(kind, first.port),
    async stats() {
      const reply = next();
      child.send({ op: 'stats' });
      const message = await reply;
      if (message.op !== 'stats') throw new Error('proxy backend answered something else than stats');
      return { requests: message.requests, cpuSeconds: message.cpuSeconds };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}

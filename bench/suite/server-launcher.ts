import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../clock.js';

export type ServerKind = 'ringcast' | 'centrifugo';

export interface LaunchOptions {
  kind: ServerKind;
  /** `node dist/node/cli/main.js` for Ringcast; the binary for Centrifugo. */
  ringcastMain: string;
  centrifugoBin: string | undefined;
  secret: string;
  apiKey: string;
  historyNamespace: string;
  /** CPU list for taskset (e.g. "0"); undefined runs unpinned. */
  cpus: string | undefined;
  /** Extra node flags for Ringcast (e.g. --cpu-prof). */
  nodeFlags: readonly string[];
  /** Absolute scheduling niceness for the server (negative needs root); undefined inherits the suite's. */
  nice: number | undefined;
  /** `engine` config section (crossnode: the Redis ring), Centrifugo's keys. */
  engine?: object;
  nodeName?: string;
  /** A connect proxy endpoint (the connect-proxy scenario's backend); connections without a token go there. */
  connectProxyEndpoint?: string | undefined;
  /** Ringcast only: `ringcast.client.write_delay` (joins more publications per write, for a little latency). */
  writeDelay?: string | undefined;
  /** Listen on this port (shared with other Ringcast nodes through SO_REUSEPORT) instead of a free one. */
  port?: number;
}

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  wsUrl: string;
  apiUrl: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (free when asked; another process may take it before it is bound). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The same configuration in both servers' terms (Centrifugo v6 key names, which Ringcast reads too): token
 * auth, API key, subscribe allowed in the default namespace with user-limited channels, one namespace with
 * history, health and Prometheus endpoints, quiet logs.
 */
export function serverConfig(
  port: number,
  o: Pick<LaunchOptions, 'secret' | 'apiKey' | 'historyNamespace' | 'engine' | 'nodeName' | 'connectProxyEndpoint'>,
): object {
  const config: Record<string, unknown> = {
    http_server: { address: '127.0.0.1', port },
    client: {
      token: { hmac_secret_key: o.secret },
      insecure: false,
      ...(o.connectProxyEndpoint ? { proxy: { connect: { enabled: true, endpoint: o.connectProxyEndpoint, timeout: '5s' } } } : {}),
    },
    http_api: { key: o.apiKey },
    health: { enabled: true },
    prometheus: { enabled: true },
    channel: {
      without_namespace: { allow_subscribe_for_client: true, allow_user_limited_channels: true },
      namespaces: [{ name: o.historyNamespace, history_size: 100, history_ttl: '300s', allow_subscribe_for_client: true, allow_recovery: true }],
      history_meta_ttl: '3600s',
    },
    log: { level: 'warn' },
  };
  if (o.engine) config['engine'] = o.engine;
  if (o.nodeName) config['node'] = { name: o.nodeName };
  return config;
}

/** Starts a server on a free loopback port, pinned with taskset, and waits until /health answers. */
export async function launchServer(o: LaunchOptions): Promise<RunningServer> {
  const port = o.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), `ringcast-bench-${o.kind}-`));
  const configFile = join(dir, 'config.json');
  const config = serverConfig(port, o) as Record<string, unknown>;
  if (o.kind === 'ringcast' && o.writeDelay) config['ringcast'] = { client: { write_delay: o.writeDelay } };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  let command: string[];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (o.kind === 'ringcast') {
    command = [process.execPath, ...o.nodeFlags, o.ringcastMain, 'serve', '--config', configFile];
  } else {
    if (!o.centrifugoBin) throw new Error('no Centrifugo binary given (set CENTRIFUGO_BIN)');
    command = [o.centrifugoBin, '--config', configFile];
    env['GOMAXPROCS'] = '1';
  }
  // nice(1) adds to the caller's niceness; the server gets the absolute value asked for.
  const adjust = o.nice === undefined ? 0 : o.nice - getPriority();
  if (adjust !== 0) command = ['nice', '-n', String(adjust), ...command];
  if (o.cpus !== undefined) command = ['taskset', '-c', o.cpus, ...command];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env, cwd: dir });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString();
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // A server that dies during a run invalidates it: say so with what it printed.
      if (!stopping) process.stderr.write(`\n${o.kind} (pid ${child.pid}) exited (${signal ?? code}): ${stderr.trim().slice(0, 4000)}\n`);
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${o.kind} did not start (${command.join(' ')}): ${stderr.trim().slice(0, 2000)}`);
    }
    await sleep(100);
  }
  // nice and taskset exec the server, so the child's pid is the server's.
  const pid = child.pid!;
  return {
    kind: o.kind,
    pid,
    wsUrl: `ws://127.0.0.1:${port}/connection/websocket`,
    apiUrl: `${base}/api`,
    metricsUrl: `${base}/metrics`,
    async stop(): Promise<void> {
      stopping = true;
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killTimer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

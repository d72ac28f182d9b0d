import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './kube-free-port.js';
import { startTestNode, testApiKey, testConfig } from './test-node.js';
import { waitFor } from './wait-for.js';

/** A running server speaking the Centrifugo protocol: a Ringcast node or the real Centrifugo. */
export interface CompatServer {
  readonly name: 'ringcast' | 'centrifugo';
  readonly wsUrl: string;
  readonly httpUrl: string;
  api(method: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** The Centrifugo binary for side-by-side checks (`CENTRIFUGO_BIN`), or undefined when unset. */
export const centrifugoBin: string | undefined = process.env['CENTRIFUGO_BIN'] || undefined;

/** Test title suffix saying why the Centrifugo half of a comparison did not run. */
export const centrifugoSkipReason = 'skipped: set CENTRIFUGO_BIN to a Centrifugo v6 binary to run it';

/** The servers a comparison runs against: always Ringcast, and Centrifugo when CENTRIFUGO_BIN is set. */
export const compatTargets: ReadonlyArray<'ringcast' | 'centrifugo'> = centrifugoBin ? ['ringcast', 'centrifugo'] : ['ringcast'];

async function apiCall(
  httpUrl: string,
  method: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${httpUrl}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': testApiKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, json };
}

/**
 * Starts `target` with the test config deep-merged with `overrides` (Centrifugo v6 key names for both). `logs`
 * collects a Ringcast node's log lines (info and up).
 */
export async function startCompatServer(
  target: 'ringcast' | 'centrifugo',
  overrides: Record<string, unknown>,
  options: { logs?: string[] } = {},
): Promise<CompatServer> {
  if (target === 'ringcast') {
    const node = await startTestNode(overrides, options.logs ? { logs: options.logs } : {});
    return { name: 'ringcast', wsUrl: node.wsUrl, httpUrl: node.httpUrl, api: node.api, stop: node.stop };
  }
  if (!centrifugoBin) throw new Error(centrifugoSkipReason);
  return startCentrifugo(centrifugoBin, overrides);
}

async function startCentrifugo(bin: string, overrides: Record<string, unknown>): Promise<CompatServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-centrifugo-'));
  const file = join(dir, 'config.json');
  for (let attempt = 0; ; attempt++) {
    const [port] = await freeLoopbackPorts(1);
    const config = testConfig({
      ...overrides,
      http_server: { address: '127.0.0.1', port },
      health: { enabled: true },
      log: { level: 'error' },
    });
    // Ringcast-only keys mean nothing to Centrifugo.
    delete (config as Record<string, unknown>)['ringcast'];
    writeFileSync(file, JSON.stringify(config));
    const child = spawn(bin, ['--config', file], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOMAXPROCS: '1' } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const httpUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        'centrifugo /health',
        async () => {
          if (child.exitCode !== null) throw new Error(`centrifugo exited with ${child.exitCode}: ${stderr}`);
          return fetch(`${httpUrl}/health`).then((r) => r.ok, () => false);
        },
        15_000,
        50,
      );
    } catch (err) {
      await stopChild(child);
      if (attempt < 2 && /address already in use/.test(stderr)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      name: 'centrifugo',
      wsUrl: `ws://127.0.0.1:${port}/connection/websocket`,
      httpUrl,
      api: (method, body, headers = {}) => apiCall(httpUrl, method, body, headers),
      async stop() {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

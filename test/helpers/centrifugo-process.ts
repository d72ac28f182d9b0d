// A Centrifugo binary (built locally from its public source, path in CENTRIFUGO_BIN) run as a test peer on a
// free loopback port. Tests using it are skipped, and say so in their names, when CENTRIFUGO_BIN is unset.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from './kube-free-port.js';
import { describeExit, spawnManaged, type ManagedProcess } from './kube-process.js';
import { testApiKey, testSecret } from './test-node.js';
import { waitFor } from './wait-for.js';

export const centrifugoBin = process.env['CENTRIFUGO_BIN'] ?? '';

export interface CentrifugoProcess {
  port: number;
  httpUrl: string;
  wsUrl: string;
  api(method: string, body: unknown): Promise<unknown>;
  logTail(): string;
  stop(): Promise<void>;
}

export async function startCentrifugo(config: Record<string, unknown>): Promise<CentrifugoProcess> {
  const [port] = await freeLoopbackPorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-centrifugo-'));
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      http_server: { address: '127.0.0.1', port },
      client: { token: { hmac_secret_key: testSecret } },
      http_api: { key: testApiKey },
      health: { enabled: true },
      log: { level: 'info' },
      ...config,
    }),
  );
  const process: ManagedProcess = spawnManaged(`centrifugo:${port}`, centrifugoBin, ['--config', file], {
    logPath: join(dir, 'centrifugo.log'),
    orphanCleanupDir: dir,
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  await waitFor('Centrifugo /health', async () => {
    if (process.exitInfo) throw new Error(`centrifugo ${describeExit(process.exitInfo)}:\n${process.logTail()}`);
    try {
      return (await fetch(`${httpUrl}/health`)).ok;
    } catch {
      return false;
    }
  }, 20_000, 100);
  return {
    port: port!,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}/connection/websocket`,
    async api(method, body) {
      const res = await fetch(`${httpUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': testApiKey },
        body: JSON.stringify(body),
      });
      return res.json();
    },
    logTail: () => process.logTail(),
    async stop() {
      await process.stop(3_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

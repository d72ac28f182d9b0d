import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/timing/clock.js';
import { startNode, type RunningNode } from '../../node/server/start-node.js';

export const testSecret = 'test-hmac-secret-key-0123456789abcdef';
export const testApiKey = 'test-api-key';

/** A config for tests: loopback, free port, HS256 secret, API key; deep-merged with `overrides`. */
export function testConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    http_server: { address: '127.0.0.1', port: 0 },
    client: { token: { hmac_secret_key: testSecret } },
    http_api: { key: testApiKey },
    log: { level: 'silent' },
  };
  return deepMerge(base, overrides);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    if (isObject(current) && isObject(value)) out[key] = deepMerge(current, value);
    else out[key] = value;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface TestNode {
  node: RunningNode;
  port: number;
  wsUrl: string;
  httpUrl: string;
  api(method: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** Starts a node in this process through the real config loader (from a JSON file, as a user would). */
export async function startTestNode(
  overrides: Record<string, unknown> = {},
  options: { clock?: Clock; manualTimers?: boolean; logs?: string[] } = {},
): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-node-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(testConfig(overrides)));
  const { config } = loadConfig({ file, env: {} });
  rmSync(dir, { recursive: true, force: true });
  // `logs` collects the node's log lines (info and up) for tests that check what an operator would read.
  const lines = options.logs;
  const logger = lines
    ? pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
    : pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' });
  const { logs: _logs, ...nodeOptions } = options;
  const node = await startNode({ config, logger, ...nodeOptions });
  const httpUrl = `http://127.0.0.1:${node.port}`;
  return {
    node,
    port: node.port,
    wsUrl: `ws://127.0.0.1:${node.port}/connection/websocket`,
    httpUrl,
    async api(method, body, headers = {}) {
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
    },
    stop: () => node.stop(),
  };
}

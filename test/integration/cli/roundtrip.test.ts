import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, testApiKey, testSecret, type TestNode } from '../../helpers/test-node.js';

// `ringcast roundtrip` (what `helm test` runs in a pod) as the built CLI, against a real node: it must pass only
// when a publication really went out over the API and came back over the WebSocket.
const cli = join(process.cwd(), 'dist/cli/ringcast.js');
let node: TestNode;

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'roundtrip', ...args], {
      env: { ...process.env, RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY: '', RINGCAST_HTTP_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const keys = { RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY: testSecret, RINGCAST_HTTP_API_KEY: testApiKey };

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/ is missing: run `make build` (make test does) before these tests');
  node = await startTestNode();
});
afterAll(() => node.stop());

describe('ringcast roundtrip', () => {
  it('connects, publishes over the API and receives the publication over the WebSocket', async () => {
    const result = await run(['--url', node.httpUrl, '--channel', 'helm-check', '--timeout', '20s'], keys);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^roundtrip ok: connected and subscribed to helm-check in \d+ ms; publication came back in \d+ ms/);
  });

  it('fails naming the publish step when the API key is wrong', async () => {
    const result = await run(['--url', node.httpUrl, '--timeout', '10s'], { ...keys, RINGCAST_HTTP_API_KEY: 'not-the-key' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/roundtrip failed: publish to ringcast-roundtrip through http:\/\/127\.0\.0\.1:\d+\/api\/publish failed: error 101 unauthorized/);
  });

  it('fails naming the connect step when the token key is wrong', async () => {
    const result = await run(['--url', node.httpUrl, '--timeout', '3s'], { ...keys, RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY: 'another-key-0123456789abcdef0123' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/roundtrip failed: connect to ws:\/\/127\.0\.0\.1:\d+\/connection\/websocket: refused \(.*disconnected: 3500 invalid token\)/);
  });

  it('fails within the timeout when nothing listens', async () => {
    const result = await run(['--url', 'http://127.0.0.1:1', '--timeout', '2s'], keys);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('roundtrip failed: connect to ws://127.0.0.1:1/connection/websocket: nothing within the timeout');
  });

  it('refuses a command line without the keys or the URL, with usage', async () => {
    const noKeys = await run(['--url', node.httpUrl], {});
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY must hold the HMAC key');
    const noUrl = await run([], keys);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--url is required');
  });
});

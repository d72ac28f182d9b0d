import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.js';

// Runs the built `ringcast` CLI (dist/, produced by `make build`, which `make test` runs first) as a user would.
const cli = join(process.cwd(), 'dist/node/cli/main.js');
let dir: string;

function run(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/ is missing: run `make build` (make test does) before these tests');
  dir = mkdtempSync(join(tmpdir(), 'ringcast-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built ringcast CLI', () => {
  it('genconfig writes a valid config, refuses to overwrite it, and checkconfig accepts it', () => {
    const file = join(dir, 'config.json');
    expect(run(['genconfig', '--output', file]).code).toBe(0);
    expect(run(['genconfig', '--output', file]).code).not.toBe(0);
    const check = run(['checkconfig', file]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('config is valid');
  });

  it('checkconfig names the bad key and warns about unknown ones', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'client:\n  channel_limit: lots\n  tokn: {}\n');
    const check = run(['checkconfig', file]);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('client.channel_limit');
  });

  it('checkconfig fails, naming the key, for a Centrifugo proxy it would otherwise ignore; serve refuses to start', () => {
    const file = join(dir, 'proxy.json');
    writeFileSync(file, JSON.stringify({ channel: { namespaces: [{ name: 'feed', subscribe_stream_proxy_enabled: true }] } }));
    const check = run(['checkconfig', file]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('config key channel.namespaces[0].subscribe_stream_proxy_enabled: the subscribe stream proxy is not supported yet');
    const serve = run(['serve', '--config', file, '--port', '0']);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('subscribe_stream_proxy_enabled');
  });

  it('checkconfig knows the proxies it implements: a complete connect proxy passes, one without an endpoint fails', () => {
    const good = join(dir, 'connect-proxy.json');
    writeFileSync(good, JSON.stringify({ http_api: { key: 'k' }, client: { proxy: { connect: { enabled: true, endpoint: 'http://127.0.0.1:1/connect' } } } }));
    expect(run(['checkconfig', good])).toMatchObject({ code: 0, stdout: 'config is valid\n' });
    const bad = join(dir, 'connect-proxy-bad.json');
    writeFileSync(bad, JSON.stringify({ client: { proxy: { connect: { enabled: true } } } }));
    const check = run(['checkconfig', bad]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('config key client.proxy.connect.endpoint: endpoint not set');
  });

  it('gentoken prints a JWT for the configured secret', () => {
    const file = join(dir, 'config.json');
    const token = run(['gentoken', '-u', 'alice', '--ttl', '1h', '--config', file]);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('serve refuses to start on the JavaScript fallback of uWebSockets.js', () => {
    const result = run(['serve', '--port', '0'], { UWS_USE_FALLBACK: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('uWebSockets.js native build is not available');
  });

  it('serve starts, answers /health, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--address', '127.0.0.1', '--log-level', 'warn'], {
      stdio: 'ignore',
    });
    try {
      await waitFor('health', async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
        } catch {
          return false;
        }
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serve exits 1 with the key and reason for an invalid config', () => {
    const result = run(['serve', '--port', '0'], { RINGCAST_CLIENT_PING_INTERVAL: 'soon' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('client.ping_interval');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ServeArgs } from '../../../../node/cli/args.js';
import { serveOverrides, startServe, stopOnSignals } from '../../../../node/cli/serve.js';
import { createTokenVerifier } from '../../../../src/auth/token-verifier.js';
import { ConfigError } from '../../../../src/config/config-error.js';
import { capturingLogger, fakeIo, fakeStartNode } from './cli-fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(value: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const serveArgs = (extra: Partial<ServeArgs> = {}): ServeArgs => ({ command: 'serve', devBanner: false, ...extra });

describe('serveOverrides', () => {
  it('maps flags to config keys', () => {
    expect(serveOverrides(serveArgs({ port: '9000', address: '127.0.0.1', logLevel: 'debug', engine: 'redis' }))).toEqual({
      'http_server.port': '9000',
      'http_server.address': '127.0.0.1',
      'log.level': 'debug',
      'engine.type': 'redis',
    });
  });
});

describe('startServe', () => {
  it('starts the node with the merged config and logs each warning at warn level', async () => {
    const file = configFile({ http_api: { key: 'k' }, client: { ping_intervall: '1s' }, http_server: { port: 1 } });
    const fake = fakeStartNode();
    const { io } = fakeIo({ RINGCAST_CLIENT_CHANNEL_LIMIT: '7' });
    const captured = capturingLogger('info');
    const result = await startServe(serveArgs({ config: file, port: '9001' }), fake.start, { ...io, createLogger: () => captured.logger });
    expect(result.ok).toBe(true);
    expect(fake.calls[0]?.http_server.port).toBe(9001);
    expect(fake.calls[0]?.client.channel_limit).toBe(7);
    expect(captured.lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'unknown config key client.ping_intervall (did you mean client.ping_interval?); it is ignored' }),
    ]);
  });
  it('prints "ringcast: invalid config: …" and exits 1 on a bad value', async () => {
    const fake = fakeStartNode();
    const { io, err } = fakeIo();
    const result = await startServe(serveArgs({ port: 'http' }), fake.start, io);
    expect(result).toEqual({ ok: false, exitCode: 1 });
    expect(err.join('')).toBe('ringcast: invalid config: config key http_server.port: expected a number, got "http" (from command-line flag)\n');
    expect(fake.calls).toHaveLength(0);
  });
  it('reports a node that fails to start (a ConfigError from a key, or anything else)', async () => {
    const silent = { createLogger: () => capturingLogger('silent').logger };
    const keyError = fakeStartNode({ fail: new ConfigError('client.token.rsa_public_key', 'not a valid RSA public key') });
    const a = fakeIo();
    expect(await startServe(serveArgs(), keyError.start, { ...a.io, ...silent })).toEqual({ ok: false, exitCode: 1 });
    expect(a.err.join('')).toMatch(/^ringcast: invalid config: config key client.token.rsa_public_key/);
    const listen = fakeStartNode({ fail: new Error('cannot listen on 0.0.0.0:8000') });
    const b = fakeIo();
    expect(await startServe(serveArgs(), listen.start, { ...b.io, ...silent })).toEqual({ ok: false, exitCode: 1 });
    expect(b.err.join('')).toBe('ringcast: cannot start: cannot listen on 0.0.0.0:8000\n');
  });
  it('prints the dev banner: URL, demo page, API key, a demo-user token and a curl publish', async () => {
    const secret = 'banner-secret-0123456789abcdef0123456';
    const file = configFile({
      client: { token: { hmac_secret_key: secret } },
      http_api: { key: 'the-api-key' },
      ringcast: { demo: { enabled: true } },
      admin: { enabled: true, password: 'the-admin-password', secret: 's'.repeat(32) },
    });
    const { io, out } = fakeIo();
    const fake = fakeStartNode({ port: 8042 });
    await startServe(serveArgs({ config: file, devBanner: true }), fake.start, { ...io, createLogger: () => capturingLogger('silent').logger });
    const banner = out.join('');
    expect(banner).toContain('http://localhost:8042');
    expect(banner).toContain('Demo page:   http://localhost:8042/?channel=chat&token=');
    expect(banner).toContain('API key:     the-api-key');
    expect(banner).toContain('Admin UI:    http://localhost:8042/admin/  password the-admin-password');
    expect(banner).toContain(
      `curl -X POST http://localhost:8042/api/publish -H "X-API-Key: the-api-key" -d '{"channel":"chat","data":{"text":"hello from curl"}}'`,
    );
    const token = /valid 1h\):\n {4}(\S+)/.exec(banner)?.[1] ?? '';
    const verified = await createTokenVerifier(fake.calls[0]!).verifyConnectionToken(token);
    expect(verified.ok && verified.claims.sub).toBe('demo-user');
    expect(verified.ok && (verified.claims.exp ?? 0) - Date.now() / 1000).toBeGreaterThan(3500);
  });
  it('the banner says what is missing without a secret or demo page', async () => {
    const { io, out } = fakeIo();
    await startServe(serveArgs({ devBanner: true }), fakeStartNode().start, { ...io, createLogger: () => capturingLogger('silent').logger });
    expect(out.join('')).toContain('Demo page:   off');
    expect(out.join('')).toContain('Connection token: unavailable');
    expect(out.join('')).toContain('Admin UI:    off');
  });
});

describe('stopOnSignals', () => {
  const logger = capturingLogger('silent').logger;

  it('stops the node and exits 0 on SIGTERM (once, however many signals)', async () => {
    const fake = fakeStartNode();
    const { io, exits, signals } = fakeIo();
    stopOnSignals(fake.node, logger, io.signals, io.exit, 30_000);
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(fake.stopped()).toBe(1);
  });
  it('exits 1 when stopping fails', async () => {
    const fake = fakeStartNode({ stop: 'fail' });
    const { io, exits, signals } = fakeIo();
    stopOnSignals(fake.node, logger, io.signals, io.exit, 30_000);
    signals.emit('SIGINT');
    await vi.waitFor(() => expect(exits).toEqual([1]));
  });
  it('exits 1 when stopping outlasts shutdown.timeout', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeStartNode({ stop: 'hang' });
      const { io, exits, signals } = fakeIo();
      stopOnSignals(fake.node, logger, io.signals, io.exit, 5_000);
      signals.emit('SIGTERM');
      await vi.advanceTimersByTimeAsync(4_999);
      expect(exits).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(exits).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });
});

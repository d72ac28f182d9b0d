import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../../node/cli/run-cli.js';
import { fakeIo, fakeStartNode } from './cli-fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runCli', () => {
  it('help and version exit 0', async () => {
    const a = fakeIo();
    expect(await runCli(['--help'], a.io, fakeStartNode().start)).toBe(0);
    expect(a.out.join('')).toContain('ringcast serve [--config FILE]');
    const b = fakeIo();
    expect(await runCli(['version'], b.io, fakeStartNode().start)).toBe(0);
    expect(b.out.join('')).toMatch(/^ringcast \d+\.\d+\.\d+/);
    // The host's Node.js and its native uWebSockets.js build (the node would refuse to serve on the fallback).
    expect(b.out.join('')).toContain(`node.js ${process.version} (ABI ${process.versions.modules}, linux-x64)`);
    expect(b.out.join('')).toContain('uWebSockets.js native\n');
  });
  it('version names the reason when only the uWebSockets.js fallback is available', async () => {
    const { io, out } = fakeIo({ UWS_USE_FALLBACK: '1' });
    expect(await runCli(['version'], io, fakeStartNode().start)).toBe(0);
    expect(out.join('')).toMatch(/uWebSockets\.js unavailable: .*UWS_USE_FALLBACK is set/);
  });
  it('usage errors exit 2 with the usage text on stderr', async () => {
    const { io, err } = fakeIo();
    expect(await runCli(['serve', '--bogus'], io, fakeStartNode().start)).toBe(2);
    expect(err.join('')).toMatch(/^ringcast: serve: .*bogus[\s\S]*Usage:/);
  });
  it('genconfig writes once, then refuses to overwrite (exit 1)', async () => {
    const output = join(dir, 'gen.json');
    const first = fakeIo();
    expect(await runCli(['genconfig', '--output', output, '--dev'], first.io, fakeStartNode().start)).toBe(0);
    expect(existsSync(output)).toBe(true);
    const second = fakeIo();
    expect(await runCli(['genconfig', '--output', output], second.io, fakeStartNode().start)).toBe(1);
    expect(second.err.join('')).toMatch(/already exists; refusing to overwrite/);
  });
  it('gentoken prints a token signed with the config secret, or explains the missing secret', async () => {
    const file = join(dir, 'tok.json');
    writeFileSync(file, JSON.stringify({ client: { token: { hmac_secret_key: 'cli-secret-0123456789abcdef0123456' } } }));
    const ok = fakeIo();
    expect(await runCli(['gentoken', '-u', 'alice', '--config', file, '--ttl', '2h', '--info', '{"n":1}'], ok.io, fakeStartNode().start)).toBe(0);
    const claims = decodeJwt(ok.out.join('').trim());
    expect(claims).toMatchObject({ sub: 'alice', info: { n: 1 } });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7200);
    const fromEnv = fakeIo({ RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY: 'env-secret' });
    expect(await runCli(['gentoken', '-u', 'bob'], fromEnv.io, fakeStartNode().start)).toBe(0);
    const missing = fakeIo();
    expect(await runCli(['gentoken', '-u', 'bob'], missing.io, fakeStartNode().start)).toBe(1);
    expect(missing.err.join('')).toMatch(/no HMAC secret configured/);
    const badTtl = fakeIo();
    expect(await runCli(['gentoken', '-u', 'a', '--ttl', 'later'], badTtl.io, fakeStartNode().start)).toBe(2);
  });
  it('checkconfig exits 0 for a valid file and 1 for an invalid one', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'http_api:\n  key: k\n');
    const a = fakeIo();
    expect(await runCli(['checkconfig', good], a.io, fakeStartNode().start)).toBe(0);
    expect(a.out.join('')).toBe('config is valid\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'engine:\n  type: mysql\n');
    const b = fakeIo();
    expect(await runCli(['checkconfig', bad], b.io, fakeStartNode().start)).toBe(1);
    expect(b.err.join('')).toBe('ringcast: invalid config: config key engine.type: expected one of "memory", "redis", "nats", "tarantool", got "mysql"\n');
  });
  it('serve keeps running (null) until a signal stops the node, then exits 0', async () => {
    const fake = fakeStartNode();
    const { io, exits, signals } = fakeIo();
    expect(await runCli(['serve', '--log-level', 'silent'], io, fake.start)).toBeNull();
    expect(fake.calls).toHaveLength(1);
    signals.emit('SIGTERM');
    await vi.waitFor(() => expect(exits).toEqual([0]));
  });
  it('serve with an invalid config exits 1', async () => {
    const { io } = fakeIo();
    expect(await runCli(['serve', '--engine', 'mysql'], io, fakeStartNode().start)).toBe(1);
  });
});

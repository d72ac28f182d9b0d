import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFile } from '../../../../node/cli/checkconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-checkconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('checkConfigFile', () => {
  it('prints warnings, then "config is valid"', () => {
    const file = write('ok.json', { http_api: { key: 'k' }, client: { ping_intervall: '1s' } });
    expect(checkConfigFile(file, {})).toEqual({
      ok: true,
      stdout: ['warning: unknown config key client.ping_intervall (did you mean client.ping_interval?); it is ignored', 'config is valid'],
      stderr: [],
    });
  });
  it('reports an invalid value', () => {
    const file = write('bad.json', { channel: { namespaces: [{ name: 'chat', history_size: 'ten' }] } });
    expect(checkConfigFile(file, {})).toEqual({
      ok: false,
      stdout: [],
      stderr: ['ringcast: invalid config: config key channel.namespaces[0].history_size: expected a number, got "ten"'],
    });
  });
  it('reports a missing file and honours the environment', () => {
    expect(checkConfigFile(join(dir, 'none.json'), {}).stderr[0]).toMatch(/none.json: no such file/);
    const file = write('env.json', { http_api: { key: 'k' } });
    expect(checkConfigFile(file, { RINGCAST_HTTP_SERVER_PORT: 'x' }).ok).toBe(false);
  });
  it('knows the engine keys: refuses history on the NATS broker, warns about per-node presence', () => {
    const history = write('nats-history.json', {
      http_api: { key: 'k' },
      broker: { enabled: true, type: 'nats', nats: { url: 'nats://10.0.0.5:4222' } },
      channel: { namespaces: [{ name: 'chat', history_size: 10, history_ttl: '60s', force_recovery: true }] },
    });
    const refused = checkConfigFile(history, {});
    expect(refused.ok).toBe(false);
    expect(refused.stderr[0]).toMatch(/^ringcast: invalid config: config key channel.namespaces\[0\].history_size: the NATS broker keeps no history/);
    const presence = write('nats-presence.json', {
      http_api: { key: 'k' },
      engine: { type: 'nats' },
      channel: { namespaces: [{ name: 'room', presence: true }] },
    });
    const warned = checkConfigFile(presence, {});
    expect(warned.ok).toBe(true);
    expect(warned.stdout[0]).toMatch(/^warning: presence is on in channel.namespaces\[0\] but kept in each node's memory/);
    const tarantool = write('tarantool.json', { http_api: { key: 'k' }, engine: { type: 'tarantool', tarantool: { address: ['10.0.0.1:3301'] } } });
    expect(checkConfigFile(tarantool, {})).toEqual({ ok: true, stdout: ['config is valid'], stderr: [] });
  });
  it('knows grpc_api, uni_grpc and sockjs, and checks their TLS and ports', () => {
    const file = write('grpc.json', {
      http_api: { key: 'k' },
      grpc_api: { enabled: true, key: 'g', port: 10001, error_mode: 'transport', max_receive_message_size: 1048576 },
      uni_grpc: { enabled: true, port: 11001 },
      sockjs: { enabled: true, handler_prefix: '/connection/sockjs', heartbeat_delay: '10s' },
    });
    expect(checkConfigFile(file, {})).toEqual({ ok: true, stdout: ['config is valid'], stderr: [] });
    const noCert = write('grpc-tls.json', { http_api: { key: 'k' }, uni_grpc: { enabled: true, tls: { enabled: true } } });
    expect(checkConfigFile(noCert, {}).stderr).toEqual(['ringcast: invalid config: config key uni_grpc.tls.cert_pem: TLS needs a certificate']);
    const typo = write('grpc-typo.json', { http_api: { key: 'k' }, grpc_api: { enable: true } });
    expect(checkConfigFile(typo, {}).stdout[0]).toBe('warning: unknown config key grpc_api.enable (did you mean grpc_api.enabled?); it is ignored');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';

// grpc_api, uni_grpc and sockjs: Centrifugo's key names and defaults, checked at load (what checkconfig runs).

const dir = mkdtempSync(join(tmpdir(), 'ringcast-listeners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function load(config: Record<string, unknown>, env: Record<string, string> = {}): ReturnType<typeof loadConfig> {
  const file = join(dir, `${counter++}.json`);
  writeFileSync(file, JSON.stringify(config));
  return loadConfig({ file, env });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gRPC and SockJS keys', () => {
  it('are known with Centrifugo defaults, no unsupported-key warning', () => {
    const { config, warnings } = load({ http_api: { key: 'h' }, grpc_api: { enabled: true, key: 'k' }, uni_grpc: { enabled: true }, sockjs: { enabled: true } });
    expect(config.grpc_api).toMatchObject({ enabled: true, port: 10000, key: 'k', error_mode: '', max_receive_message_size: 0 });
    expect(config.grpc_api.tls).toMatchObject({ enabled: false, cert_pem: '', key_pem: '', client_ca_pem: '' });
    expect(config.uni_grpc).toMatchObject({ enabled: true, port: 11000 });
    expect(config.sockjs).toMatchObject({ enabled: true, handler_prefix: '/connection/sockjs', heartbeat_delay: 25_000 });
    expect(warnings).toEqual([]);
  });

  it('come from the environment with Centrifugo names', () => {
    const { config } = load({}, { CENTRIFUGO_GRPC_API_ENABLED: 'true', CENTRIFUGO_GRPC_API_PORT: '10500', CENTRIFUGO_UNI_GRPC_PORT: '11500' });
    expect(config.grpc_api.enabled).toBe(true);
    expect(config.grpc_api.port).toBe(10500);
    expect(config.uni_grpc.port).toBe(11500);
  });

  it('warn when the gRPC API has no key, and about reflection, which Ringcast does not serve', () => {
    const { warnings } = load({ grpc_api: { enabled: true, reflection: true } });
    expect(warnings.join('\n')).toContain('grpc_api.key is empty');
    expect(warnings.join('\n')).toContain('config key grpc_api.reflection is a Centrifugo option Ringcast does not support yet');
  });

  it('refuse TLS without a certificate and two listeners on one port', () => {
    expect(errorOf(() => load({ grpc_api: { enabled: true, tls: { enabled: true } } })).key).toBe('grpc_api.tls.cert_pem');
    expect(errorOf(() => load({ grpc_api: { enabled: true }, uni_grpc: { enabled: true, port: 10000 } })).key).toBe('uni_grpc.port');
    expect(errorOf(() => load({ http_server: { port: 9000 }, grpc_api: { enabled: true, port: 9000 } })).key).toBe('grpc_api.port');
    expect(errorOf(() => load({ sockjs: { enabled: true, handler_prefix: 'sockjs' } })).key).toBe('sockjs.handler_prefix');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function load(raw: unknown, env: Record<string, string> = {}): ReturnType<typeof loadConfig> {
  const file = join(dir, `${counter++}.json`);
  writeFileSync(file, JSON.stringify(raw));
  return loadConfig({ file, env });
}

function refusal(raw: unknown, env: Record<string, string> = {}): ConfigError {
  try {
    load(raw, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

// Keys that decide who may connect, subscribe, publish or call RPC (Centrifugo v6 names) stop the node while
// Ringcast does not implement them; ignoring one could let through what the operator meant to guard.
describe('access-deciding Centrifugo keys stop the node', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a subscribe stream proxy', { channel: { without_namespace: { subscribe_stream_proxy_enabled: true } } }, 'channel.without_namespace.subscribe_stream_proxy_enabled'],
    ['a subscribe stream proxy on a namespace', { channel: { namespaces: [{ name: 'ok' }, { name: 'feed', subscribe_stream_proxy_enabled: true }] } }, 'channel.namespaces[1].subscribe_stream_proxy_enabled'],
    ['skipping token signatures', { client: { insecure_skip_token_signature_verify: true } }, 'client.insecure_skip_token_signature_verify'],
    ['authentication by HTTP header', { client: { user_id_http_header: 'X-User-Id' } }, 'client.user_id_http_header'],
    ['a connection rate limit', { client: { connection_rate_limit: 100 } }, 'client.connection_rate_limit'],
    ['an internal port for the API', { http_server: { internal_port: '9000' } }, 'http_server.internal_port'],
    ['TLS', { http_server: { tls: { enabled: true, server_cert_pem: 'x' } } }, 'http_server.tls'],
  ];
  it.each(cases)('%s', (_name, raw, key) => {
    const error = refusal(raw);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`config key ${key}:`);
  });

  it('names every such key, the first as the culprit', () => {
    const error = refusal({ channel: { without_namespace: { subscribe_stream_proxy_enabled: true } }, client: { connection_rate_limit: 5 } });
    expect(error.key).toBe('channel.without_namespace.subscribe_stream_proxy_enabled');
    expect(error.message).toContain('also: client.connection_rate_limit');
  });

  it('refuses them from the environment too', () => {
    const error = refusal({}, { CENTRIFUGO_CHANNEL_WITHOUT_NAMESPACE_SUBSCRIBE_STREAM_PROXY_ENABLED: 'true' });
    expect(error.message).toContain('CENTRIFUGO_CHANNEL_WITHOUT_NAMESPACE_SUBSCRIBE_STREAM_PROXY_ENABLED');
  });

  it('keeps warning (not stopping) when such a key is present but off, and for harmless unsupported keys', () => {
    const { warnings } = load({
      client: { connection_rate_limit: 0 },
      channel: { without_namespace: { subscribe_stream_proxy_enabled: false, allow_tags_filter: true } },
      admin: { enabled: true, insecure: true, web_path: '/srv/web' },
      grpc_api: { enabled: true },
    });
    expect(warnings.join('\n')).toContain('config key client.connection_rate_limit is a Centrifugo option Ringcast does not support yet');
    expect(warnings.join('\n')).toContain('config key admin.web_path is a Centrifugo option');
    expect(warnings.join('\n')).toContain('channel.without_namespace.allow_tags_filter');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, ConfigFileError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function file(name: string, text: string): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, text);
  return path;
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

describe('file formats', () => {
  it('reads JSON and YAML by extension, durations as milliseconds', () => {
    const json = file('c.json', JSON.stringify({ client: { ping_interval: '1m30s' }, http_server: { port: 9001 } }));
    expect(loadConfig({ file: json, env: {} }).config.client.ping_interval).toBe(90_000);
    const yaml = file('c.yaml', 'client:\n  pong_timeout: 500ms\nhttp_server:\n  port: 9002\n');
    const { config } = loadConfig({ file: yaml, env: {} });
    expect(config.client.pong_timeout).toBe(500);
    expect(config.http_server.port).toBe(9002);
  });
  it('sniffs the format of a file without a known extension', () => {
    expect(loadConfig({ file: file('conf', '{"http_server":{"port":1}}'), env: {} }).config.http_server.port).toBe(1);
    expect(loadConfig({ file: file('conf', 'http_server:\n  port: 2\n'), env: {} }).config.http_server.port).toBe(2);
  });
  it('accepts an empty file and Centrifugo-style weak values', () => {
    expect(loadConfig({ file: file('e.yaml', ''), env: {} }).config.http_server.port).toBe(8000);
    const weak = file('w.json', JSON.stringify({ http_server: { port: '8100' }, client: { insecure: 'true', allowed_origins: 'https://a' } }));
    const { config } = loadConfig({ file: weak, env: {} });
    expect(config.http_server.port).toBe(8100);
    expect(config.client.insecure).toBe(true);
    expect(config.client.allowed_origins).toEqual(['https://a']);
  });
  it('reads a numeric duration as nanoseconds, as Centrifugo does', () => {
    const f = file('n.json', JSON.stringify({ client: { ping_interval: 30_000_000_000 } }));
    expect(loadConfig({ file: f, env: {} }).config.client.ping_interval).toBe(30_000);
  });
  it('fails clearly on unreadable or malformed files', () => {
    expect(() => loadConfig({ file: join(dir, 'missing.json'), env: {} })).toThrow(/missing.json: no such file/);
    expect(() => loadConfig({ file: file('bad.json', '{"a":'), env: {} })).toThrow(ConfigFileError);
    expect(() => loadConfig({ file: file('bad.yaml', 'a: [1,\n'), env: {} })).toThrow(/not valid YAML/);
    expect(() => loadConfig({ file: file('list.json', '[1,2]'), env: {} })).toThrow(/top level must be an object/);
    expect(() => loadConfig({ file: file('c.toml', 'a = 1'), env: {} })).toThrow(/TOML is not supported/);
    expect(errorOf(() => loadConfig({ file: file('bad.json', '{'), env: {} })).code).toBe('CONFIG_INVALID');
  });
});

describe('precedence: defaults < file < CENTRIFUGO_ env < RINGCAST_ env < overrides', () => {
  const f = file('p.json', JSON.stringify({ http_server: { port: 9000, address: '10.0.0.1' }, client: { channel_limit: 5 } }));

  it('applies each layer over the previous one', () => {
    expect(loadConfig({ file: f, env: {} }).config.http_server.port).toBe(9000);
    expect(loadConfig({ file: f, env: { CENTRIFUGO_HTTP_SERVER_PORT: '9100' } }).config.http_server.port).toBe(9100);
    const both = { CENTRIFUGO_HTTP_SERVER_PORT: '9100', RINGCAST_HTTP_SERVER_PORT: '9200' };
    expect(loadConfig({ file: f, env: both }).config.http_server.port).toBe(9200);
    const { config } = loadConfig({ file: f, env: both, overrides: { 'http_server.port': '9300' } });
    expect(config.http_server.port).toBe(9300);
    expect(config.http_server.address).toBe('10.0.0.1');
    expect(config.client.channel_limit).toBe(5);
  });
  it('ignores undefined overrides (flags that were not given)', () => {
    expect(loadConfig({ file: f, env: {}, overrides: { 'http_server.port': undefined } }).config.http_server.port).toBe(9000);
  });
  it('warns about an override for an unknown key', () => {
    expect(loadConfig({ env: {}, overrides: { 'http_server.prot': 1 } }).warnings).toContain(
      'override for unknown config key http_server.prot is ignored',
    );
  });
});

describe('environment variables', () => {
  it('resolves names with underscores inside keys by walking the schema', () => {
    const { config } = loadConfig({
      env: {
        RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY: 'secret',
        RINGCAST_CHANNEL_WITHOUT_NAMESPACE_ALLOW_SUBSCRIBE_FOR_CLIENT: 'true',
        RINGCAST_CLIENT_SUBSCRIPTION_TOKEN_ENABLED: '1',
        RINGCAST_CLIENT_EXPIRED_SUB_CLOSE_DELAY: '5s',
        RINGCAST_HTTP_API_ERROR_MODE: 'transport',
        RINGCAST_ENGINE_REDIS_ADDRESS: 'redis://a:6379 redis://b:6379,redis://c:6379',
        RINGCAST_CLIENT_ALLOWED_ORIGINS: '["https://x.example"]',
      },
    });
    expect(config.client.token.hmac_secret_key).toBe('secret');
    expect(config.channel.without_namespace.allow_subscribe_for_client).toBe(true);
    expect(config.client.subscription_token.enabled).toBe(true);
    expect(config.client.expired_sub_close_delay).toBe(5000);
    expect(config.http_api.error_mode).toBe('transport');
    expect(config.engine.redis.address).toEqual(['redis://a:6379', 'redis://b:6379', 'redis://c:6379']);
    expect(config.client.allowed_origins).toEqual(['https://x.example']);
  });
  it('takes lists of objects and whole sections as JSON', () => {
    const { config } = loadConfig({
      env: {
        RINGCAST_CHANNEL_NAMESPACES: '[{"name":"chat","presence":true}]',
        RINGCAST_CLIENT_SUBSCRIBE_TO_USER_PERSONAL_CHANNEL: '{"enabled":true}',
      },
    });
    expect(config.channel.namespaces).toHaveLength(1);
    expect(config.channel.namespaces[0]).toMatchObject({ name: 'chat', presence: true, history_size: 0 });
    expect(config.client.subscribe_to_user_personal_channel.enabled).toBe(true);
  });
  it('merges a JSON section with the file instead of dropping its other keys', () => {
    const f = file('m.json', JSON.stringify({ client: { token: { hmac_secret_key: 's', audience: 'a' } } }));
    const { config } = loadConfig({ file: f, env: { RINGCAST_CLIENT_TOKEN: '{"issuer":"i"}' } });
    expect(config.client.token).toMatchObject({ hmac_secret_key: 's', audience: 'a', issuer: 'i' });
  });
  it('reads Ringcast extension keys with or without the second RINGCAST_', () => {
    expect(loadConfig({ env: { RINGCAST_RINGCAST_DEMO_ENABLED: 'true' } }).config.ringcast.demo.enabled).toBe(true);
    expect(loadConfig({ env: { RINGCAST_DEMO_ENABLED: 'true' } }).config.ringcast.demo.enabled).toBe(true);
    const env = { RINGCAST_HTTP_API_MAX_REQUEST_BODY_SIZE: '2048' };
    expect(loadConfig({ env }).config.ringcast.http_api.max_request_body_size).toBe(2048);
  });
  it('warns about unknown variables with a suggestion, and never fails on them', () => {
    const { warnings } = loadConfig({ env: { RINGCAST_HTTP_SERVER_PROT: '1', CENTRIFUGO_SWAGGER_ENABLED: 'x', OTHER: 'y' } });
    expect(warnings).toContain(
      'environment variable RINGCAST_HTTP_SERVER_PROT matches no config key Ringcast supports (did you mean RINGCAST_HTTP_SERVER_PORT?); it is ignored',
    );
    expect(warnings.some((w) => w.startsWith('environment variable CENTRIFUGO_SWAGGER_ENABLED'))).toBe(true);
    expect(warnings.some((w) => w.includes('OTHER'))).toBe(false);
  });
  it('names the variable when its value is invalid', () => {
    const error = errorOf(() => loadConfig({ env: { RINGCAST_HTTP_SERVER_PORT: 'eighty' } }));
    expect(error.key).toBe('http_server.port');
    expect(error.message).toBe(
      'config key http_server.port: expected a number, got "eighty" (from environment variable RINGCAST_HTTP_SERVER_PORT)',
    );
    expect(() => loadConfig({ env: { RINGCAST_CHANNEL_NAMESPACES: '[{' } })).toThrow(
      /channel\.namespaces: expected a list as JSON.*RINGCAST_CHANNEL_NAMESPACES/,
    );
  });
});

describe('unknown keys', () => {
  it('warn with the full dotted key and a suggestion, without failing', () => {
    const f = file(
      'u.json',
      JSON.stringify({
        client: { ping_intervall: '1s', token: { hmac_secret: 'x' } },
        channel: { namespaces: [{ name: 'chat', presense: true }] },
        totally_unknown: 1,
      }),
    );
    const { warnings, config } = loadConfig({ file: f, env: {} });
    expect(warnings).toContain('unknown config key client.ping_intervall (did you mean client.ping_interval?); it is ignored');
    expect(warnings).toContain(
      'unknown config key client.token.hmac_secret (did you mean client.token.hmac_secret_key?); it is ignored',
    );
    expect(warnings).toContain(
      'unknown config key channel.namespaces[0].presense (did you mean channel.namespaces[0].presence?); it is ignored',
    );
    expect(warnings).toContain('unknown config key totally_unknown; it is ignored');
    expect(config.client.ping_interval).toBe(25_000);
  });
  it('points Centrifugo v5 flat keys to their v6 place', () => {
    const f = file('v5.json', JSON.stringify({ token_hmac_secret_key: 's', api_key: 'k', allowed_origins: [] }));
    const { warnings } = loadConfig({ file: f, env: {} });
    expect(warnings).toContain(
      'unknown config key token_hmac_secret_key (did you mean client.token.hmac_secret_key?); it is ignored',
    );
    expect(warnings).toContain('unknown config key api_key (did you mean http_api.key?); it is ignored');
    expect(warnings).toContain('unknown config key allowed_origins (did you mean client.allowed_origins?); it is ignored');
  });
  it('recognise Centrifugo options Ringcast does not support yet', () => {
    const f = file(
      's.json',
      JSON.stringify({
        admin: { enabled: true, password: 'p', secret: 's'.repeat(32), web_proxy_address: 'http://localhost:3000' },
        // Present but off: access-deciding keys that are on stop the node (access-control-keys.test.ts).
        channel: { namespaces: [{ name: 'chat', subscribe_stream_proxy_enabled: false }], proxy: { map_publish: {} } },
        grpc_api: { enabled: true },
      }),
    );
    const { warnings } = loadConfig({ file: f, env: {} });
    expect(warnings).toContain(
      'config key admin.web_proxy_address is a Centrifugo option Ringcast does not support yet; it is ignored',
    );
    expect(warnings).toContain('config key channel.proxy.map_publish is a Centrifugo option Ringcast does not support yet; it is ignored');
    expect(warnings).toContain(
      'config key channel.namespaces[0].subscribe_stream_proxy_enabled is a Centrifugo option Ringcast does not support yet; it is ignored',
    );
  });
});

describe('invalid values', () => {
  it('throw ConfigError with the dotted key, the reason and a stable code', () => {
    const f = file('i.json', JSON.stringify({ channel: { namespaces: [{ name: 'chat', history_size: 'ten' }] } }));
    const error = errorOf(() => loadConfig({ file: f, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe('channel.namespaces[0].history_size');
    expect(error.reason).toBe('expected a number, got "ten"');
    expect(error.message).toBe('config key channel.namespaces[0].history_size: expected a number, got "ten"');
  });
  it('explain durations, enums, integers, bounds, booleans and missing names', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ client: { ping_interval: '25' } }, 'config key client.ping_interval: expected a duration like "25s", "1m30s" or "500ms", got "25"'],
      [{ client: { ping_interval: true } }, 'config key client.ping_interval: expected a duration like "25s", "1m30s" or "500ms", got true'],
      [{ client: { stale_close_delay: '-1s' } }, 'config key client.stale_close_delay: a duration must not be negative, got "-1s"'],
      [{ engine: { type: 'mysql' } }, 'config key engine.type: expected one of "memory", "redis", "nats", "tarantool", got "mysql"'],
      [{ client: { channel_limit: 1.5 } }, 'config key client.channel_limit: expected an integer, got 1.5'],
      [{ client: { channel_limit: -1 } }, 'config key client.channel_limit: must be at least 0, got -1'],
      [{ http_server: { port: 70000 } }, 'config key http_server.port: must be at most 65535, got 70000'],
      [{ client: { insecure: 'yes' } }, 'config key client.insecure: expected a boolean (true or false), got "yes"'],
      [{ channel: { namespaces: [{ presence: true }] } }, 'config key channel.namespaces[0].name: is required'],
      [{ channel: { namespaces: {} } }, 'config key channel.namespaces: expected a list, got an object'],
      [{ client: { allowed_origins: [1] } }, 'config key client.allowed_origins[0]: expected a string, got 1'],
    ];
    for (const [raw, message] of cases) {
      expect(() => loadConfig({ file: file('x.json', JSON.stringify(raw)), env: {} }), message).toThrow(message);
    }
  });
});

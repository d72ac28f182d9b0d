import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFile } from '../../../../node/cli/checkconfig.js';
import { ConfigError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-proxy-config-'));
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

const connect = (proxy: Record<string, unknown>): Record<string, unknown> => ({ client: { proxy: { connect: { enabled: true, ...proxy } } } });

describe('proxy configuration (Centrifugo v6 keys and defaults)', () => {
  it('has Centrifugo defaults: 1s timeout, proxy names "default", nothing passed on', () => {
    const { config } = load({});
    expect(config.client.proxy.connect).toMatchObject({ enabled: false, endpoint: '', timeout: 1000, http_headers: [], binary_encoding: false });
    expect(config.channel.without_namespace).toMatchObject({ subscribe_proxy_name: 'default', publish_proxy_name: 'default', sub_refresh_proxy_name: 'default' });
    expect(config.rpc.without_namespace).toEqual({ proxy_enabled: false, proxy_name: 'default' });
    expect(config.channel.proxy.publish.http).toEqual({
      tls: { enabled: false, cert_pem: '', key_pem: '', server_ca_pem: '', insecure_skip_verify: false, server_name: '' },
      static_headers: {},
      status_to_code_transforms: [],
    });
    expect(config.ringcast.proxy.max_response_size).toBe(4 * 1024 * 1024);
  });

  it('loads a Centrifugo configuration with every proxy, without warnings', () => {
    const { config, warnings } = load({
      http_api: { key: 'k' },
      client: {
        proxy: {
          connect: { enabled: true, endpoint: 'http://app/connect', timeout: '2s', http_headers: ['Cookie'], emulated_headers: ['Authorization'] },
          refresh: { enabled: true, endpoint: 'grpc://app:10001', include_connection_meta: true, grpc: { credentials_key: 'k', credentials_value: 'v' } },
        },
      },
      channel: {
        proxy: { subscribe: { endpoint: 'http://app/subscribe' }, publish: { endpoint: 'http://app/publish', binary_encoding: true }, sub_refresh: { endpoint: 'app:10001' } },
        namespaces: [{ name: 'chat', subscribe_proxy_enabled: true, publish_proxy_enabled: true, publish_proxy_name: 'moderation', sub_refresh_proxy_enabled: true }],
      },
      rpc: { proxy: { endpoint: 'http://app/rpc' }, without_namespace: { proxy_enabled: true }, namespaces: [{ name: 'admin', proxy_enabled: true, proxy_name: 'moderation' }] },
      proxies: [{ name: 'moderation', endpoint: 'https://mod/publish', timeout: '500ms', http: { static_headers: { 'X-Key': 'secret' } } }],
    });
    expect(warnings).toEqual([]);
    expect(config.client.proxy.connect.timeout).toBe(2000);
    expect(config.proxies[0]).toMatchObject({ name: 'moderation', timeout: 500, http: { static_headers: { 'X-Key': 'secret' } } });
  });

  it('takes proxy keys from the environment too', () => {
    const { config } = load({}, {
      CENTRIFUGO_CLIENT_PROXY_CONNECT_ENABLED: 'true',
      CENTRIFUGO_CLIENT_PROXY_CONNECT_ENDPOINT: 'http://app/connect',
      CENTRIFUGO_CLIENT_PROXY_CONNECT_HTTP_HEADERS: 'Cookie,Authorization',
      RINGCAST_PROXIES: '[{"name":"named","endpoint":"grpc://app:1"}]',
    });
    expect(config.client.proxy.connect).toMatchObject({ enabled: true, endpoint: 'http://app/connect', http_headers: ['Cookie', 'Authorization'] });
    expect(config.proxies[0]?.name).toBe('named');
  });

  it.each([
    ['an enabled proxy without an endpoint', connect({}), 'client.proxy.connect.endpoint', /endpoint not set/],
    ['a timeout of 0', connect({ endpoint: 'http://app', timeout: '0s' }), 'client.proxy.connect.timeout', /timeout not set/],
    ['an endpoint that is neither HTTP nor gRPC', connect({ endpoint: 'ftp://app/x' }), 'client.proxy.connect.endpoint', /expected http/],
    ['a gRPC endpoint without a port', connect({ endpoint: 'grpc://app' }), 'client.proxy.connect.endpoint', /grpc:\/\/host:port/],
    [
      'a namespace naming a proxy that does not exist',
      { channel: { namespaces: [{ name: 'chat', publish_proxy_name: 'nope' }] } },
      'channel.namespaces[0].publish_proxy_name',
      /proxy "nope" is not defined/,
    ],
    [
      'an enabled default channel proxy without an endpoint',
      { channel: { without_namespace: { subscribe_proxy_enabled: true } } },
      'channel.proxy.subscribe.endpoint',
      /endpoint not set/,
    ],
    ['an RPC namespace naming a missing proxy', { rpc: { namespaces: [{ name: 'fn', proxy_name: 'x1' }] } }, 'rpc.namespaces[0].proxy_name', /not defined/],
    ['an invalid RPC namespace name', { rpc: { namespaces: [{ name: 'f' }] } }, 'rpc.namespaces[0].name', /invalid RPC namespace name/],
    ['a proxy named "default"', { proxies: [{ name: 'default', endpoint: 'http://a' }] }, 'proxies[0].name', /reserved/],
    ['an invalid proxy name', { proxies: [{ name: 'a b', endpoint: 'http://a' }] }, 'proxies[0].name', /invalid proxy name/],
    ['a proxy defined twice', { proxies: [{ name: 'p1', endpoint: 'http://a' }, { name: 'p1', endpoint: 'http://b' }] }, 'proxies[1].name', /defined twice/],
    ['a named proxy without an endpoint', { proxies: [{ name: 'p1' }] }, 'proxies[0].endpoint', /endpoint not set/],
    [
      'a status transform without a code',
      connect({ endpoint: 'http://a', http: { status_to_code_transforms: [{ status_code: 403 }] } }),
      'client.proxy.connect.http.status_to_code_transforms[0]',
      /to_error.code or to_disconnect.code/,
    ],
    [
      'a status transform to a disconnect code a WebSocket cannot carry',
      connect({ endpoint: 'http://a', http: { status_to_code_transforms: [{ status_code: 403, to_disconnect: { code: 1000 } }] } }),
      'client.proxy.connect.http.status_to_code_transforms[0].to_disconnect.code',
      /3000–4999/,
    ],
    [
      'a unidirectional disconnect mapping without a code',
      { client: { connect_code_to_unidirectional_disconnect: { transforms: [{ code: 0, to: { code: 4000 } }] } } },
      'client.connect_code_to_unidirectional_disconnect.transforms[0].code',
      /set the connect error code/,
    ],
  ])('refuses %s, naming the key', (_name, raw, key, reason) => {
    const error = refusal(raw);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(reason);
  });

  it('still refuses the subscribe stream proxy, which Ringcast does not implement', () => {
    expect(refusal({ channel: { without_namespace: { subscribe_stream_proxy_enabled: true } } }).key).toBe(
      'channel.without_namespace.subscribe_stream_proxy_enabled',
    );
    expect(load({ channel: { proxy: { subscribe_stream: { endpoint: 'grpc://a:1' } } } }).warnings.join('\n')).toContain(
      'config key channel.proxy.subscribe_stream is a Centrifugo option Ringcast does not support yet',
    );
  });

  it('is checked by ringcast checkconfig', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ http_api: { key: 'k' }, ...connect({ endpoint: 'http://app/connect', http_headers: ['Cookie'] }) }));
    expect(checkConfigFile(good, {})).toEqual({ ok: true, stdout: ['config is valid'], stderr: [] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ http_api: { key: 'k' }, ...connect({ endpoint: '' }) }));
    expect(checkConfigFile(bad, {}).stderr[0]).toMatch(/config key client\.proxy\.connect\.endpoint: endpoint not set/);
  });
});

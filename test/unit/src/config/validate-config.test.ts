import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';

function load(overrides: Record<string, unknown>) {
  return loadConfig({ env: {}, overrides });
}

function rejection(overrides: Record<string, unknown>): ConfigError {
  try {
    load(overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const ns = (...namespaces: Record<string, unknown>[]) => ({ 'channel.namespaces': namespaces });

describe('namespaces', () => {
  it('accepts Centrifugo-valid names', () => {
    expect(load(ns({ name: 'chat' }, { name: 'a-b_c.d' }, { name: '42' })).config.channel.namespaces).toHaveLength(3);
  });
  it('rejects invalid and duplicate names at the offending item', () => {
    expect(rejection(ns({ name: 'x' })).key).toBe('channel.namespaces[0].name');
    expect(rejection(ns({ name: 'a:b' })).message).toMatch(/invalid namespace name "a:b"/);
    expect(rejection(ns({ name: 'chat room' })).key).toBe('channel.namespaces[0].name');
    const duplicate = rejection(ns({ name: 'chat' }, { name: 'news' }, { name: 'chat' }));
    expect(duplicate.key).toBe('channel.namespaces[2].name');
    expect(duplicate.reason).toBe('namespace "chat" is defined twice');
  });
});

describe('history options', () => {
  it('need history_size and history_ttl together', () => {
    expect(load(ns({ name: 'chat', history_size: 10, history_ttl: '60s' })).config.channel.namespaces[0]?.history_ttl).toBe(60_000);
    expect(rejection(ns({ name: 'chat', history_size: 10 })).key).toBe('channel.namespaces[0].history_ttl');
    expect(rejection({ 'channel.without_namespace': { history_ttl: '60s' } }).key).toBe('channel.without_namespace.history_size');
  });
  it('have second precision and stay within the meta TTL', () => {
    expect(rejection(ns({ name: 'chat', history_size: 1, history_ttl: '1500ms' })).reason).toMatch(/sub-second precision/);
    const tooLong = rejection({ 'channel.without_namespace': { history_size: 1, history_ttl: '721h' } });
    expect(tooLong.key).toBe('channel.without_namespace.history_ttl');
    expect(load({ 'channel.without_namespace': { history_size: 1, history_ttl: '721h', history_meta_ttl: '800h' } })).toBeTruthy();
  });
  it('force_recovery needs history', () => {
    expect(rejection(ns({ name: 'chat', force_recovery: true })).key).toBe('channel.namespaces[0].force_recovery');
  });
  it('channel_regex must compile (Go syntax accepted)', () => {
    expect(load(ns({ name: 'chat', channel_regex: '^(?P<id>[0-9]+)$' }))).toBeTruthy();
    expect(rejection(ns({ name: 'chat', channel_regex: '([a-z' })).key).toBe('channel.namespaces[0].channel_regex');
  });
});

describe('client rules', () => {
  it('pong_timeout must be shorter than ping_interval', () => {
    expect(rejection({ 'client.pong_timeout': '30s' }).key).toBe('client.pong_timeout');
  });
  it('the personal channel namespace must exist, with presence for single_connection', () => {
    const personal = { enabled: true, personal_channel_namespace: 'personal' };
    expect(rejection({ 'client.subscribe_to_user_personal_channel': personal }).reason).toMatch(/not defined/);
    const withNs = { ...ns({ name: 'personal' }), 'client.subscribe_to_user_personal_channel': { ...personal, single_connection: true } };
    expect(rejection(withNs).key).toBe('client.subscribe_to_user_personal_channel.single_connection');
  });
});

describe('token settings', () => {
  it('check audience/issuer exclusivity, regexes and user_id_claim', () => {
    expect(rejection({ 'client.token': { audience: 'a', audience_regex: 'a' } }).key).toBe('client.token.audience_regex');
    expect(rejection({ 'client.token': { issuer: 'a', issuer_regex: 'a' } }).key).toBe('client.token.issuer_regex');
    expect(rejection({ 'client.subscription_token': { issuer_regex: '(' } }).key).toBe('client.subscription_token.issuer_regex');
    expect(rejection({ 'client.token.user_id_claim': 'user.id' }).key).toBe('client.token.user_id_claim');
    expect(load({ 'client.token.user_id_claim': 'user_id' }).config.client.token.user_id_claim).toBe('user_id');
  });
  it('parse PEM keys and require the right key type', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rsaPkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(load({ 'client.token.rsa_public_key': rsa, 'client.token.ecdsa_public_key': ec })).toBeTruthy();
    expect(load({ 'client.token.rsa_public_key': rsaPkcs1 })).toBeTruthy();
    expect(load({ 'client.token.rsa_public_key': rsa.replace(/\n/g, '\\n') })).toBeTruthy();
    expect(load({ 'ringcast.client.token.ed25519_public_key': ed })).toBeTruthy();
    expect(rejection({ 'client.token.rsa_public_key': 'not a pem' }).key).toBe('client.token.rsa_public_key');
    expect(rejection({ 'client.token.rsa_public_key': ec }).reason).toMatch(/expected an RSA public key, got a ec key/);
    expect(rejection({ 'client.token.ecdsa_public_key': rsa }).key).toBe('client.token.ecdsa_public_key');
    expect(rejection({ 'client.token.ecdsa_public_key': secp256k1 }).reason).toMatch(/unsupported ECDSA curve secp256k1/);
    expect(rejection({ 'ringcast.client.subscription_token.ed25519_public_key': rsa }).key).toBe(
      'ringcast.client.subscription_token.ed25519_public_key',
    );
  });
  it('require a plain http(s) JWKS URL', () => {
    expect(load({ 'client.token.jwks_public_endpoint': 'https://idp.example/.well-known/jwks.json' })).toBeTruthy();
    expect(rejection({ 'client.token.jwks_public_endpoint': 'ftp://x' }).key).toBe('client.token.jwks_public_endpoint');
    expect(rejection({ 'client.token.jwks_public_endpoint': 'https://{{tenant}}.example/jwks' }).reason).toMatch(/templated/);
  });
});

describe('advisories', () => {
  it('warn about an empty API key and insecure modes', () => {
    expect(load({}).warnings.some((w) => w.startsWith('http_api.key is empty'))).toBe(true);
    expect(load({ 'http_api.key': 'k' }).warnings).toEqual([]);
    expect(load({ 'http_api.key': 'k', 'client.insecure': true }).warnings[0]).toMatch(/client.insecure is on/);
  });
});

describe('admin', () => {
  it('takes Centrifugo keys, with defaults that keep it off', () => {
    const { config } = load({});
    expect(config.admin).toEqual({ enabled: false, handler_prefix: '', password: '', secret: '', insecure: false, external: false });
    expect(config.ringcast.admin.session_ttl).toBe(8 * 3600_000);
    const on = load({ admin: { enabled: true, password: 'pw', secret: 'x'.repeat(40), handler_prefix: '/ops' } });
    expect(on.config.admin).toMatchObject({ enabled: true, password: 'pw', handler_prefix: '/ops' });
    expect(on.warnings.join('\n')).not.toContain('admin');
  });
  it('needs a password and a secret when enabled without insecure', () => {
    expect(rejection({ admin: { enabled: true, secret: 'x'.repeat(40) } }).key).toBe('admin.password');
    expect(rejection({ admin: { enabled: true, password: 'pw' } }).key).toBe('admin.secret');
    expect(rejection({ admin: { enabled: true } }).message).toMatch(/admin\.insecure turns the login off/);
    expect(load({ admin: { enabled: false } }).config.admin.enabled).toBe(false);
  });
  it('warns about insecure mode and a short secret; refuses a prefix without a leading slash', () => {
    expect(load({ admin: { enabled: true, insecure: true } }).warnings.join('\n')).toMatch(/admin\.insecure is on/);
    expect(load({ admin: { enabled: true, password: 'pw', secret: 'short' } }).warnings.join('\n')).toMatch(
      /admin\.secret is shorter than 32/,
    );
    expect(rejection({ admin: { handler_prefix: 'ops' } }).key).toBe('admin.handler_prefix');
  });
  it('reads the keys from the environment as Centrifugo does', () => {
    const { config } = loadConfig({
      env: { CENTRIFUGO_ADMIN_ENABLED: 'true', CENTRIFUGO_ADMIN_PASSWORD: 'pw', RINGCAST_ADMIN_SECRET: 'y'.repeat(32) },
    });
    expect(config.admin).toMatchObject({ enabled: true, password: 'pw', secret: 'y'.repeat(32) });
  });
});

describe('admin session lifetime', () => {
  it('is a Ringcast key, settable from the environment with the short form', () => {
    expect(loadConfig({ env: { RINGCAST_ADMIN_SESSION_TTL: '30m' } }).config.ringcast.admin.session_ttl).toBe(1_800_000);
  });
});

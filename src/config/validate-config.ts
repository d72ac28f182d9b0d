import { parseEcdsaPublicKey, parseEd25519PublicKey, parseRsaPublicKey } from '../auth/parse-public-key.js';
import { ConfigError } from './config-error.js';
import type { ChannelOptions, RingcastConfig, TokenKeysConfig } from './config-schema.js';
import { compileGoRegex } from './go-regex.js';
import { engineAdvisories, validateEngine } from './validate-engine.js';
import { validateProxies } from './validate-proxies.js';
import { validateListeners } from './validate-listeners.js';

/** Centrifugo's rule for namespace names. */
export const namespaceNamePattern = /^[-a-zA-Z0-9_.]{2,}$/;
/** Centrifugo's rule for `user_id_claim`. */
const claimNamePattern = /^[a-zA-Z_]+$/;

function checkRegex(key: string, pattern: string): void {
  if (pattern === '') return;
  try {
    compileGoRegex(pattern);
  } catch (cause) {
    throw new ConfigError(key, `not a valid regular expression: ${(cause as Error).message}`, { cause });
  }
}

function checkSecondPrecision(key: string, ms: number): void {
  if (ms % 1000 !== 0) throw new ConfigError(key, `sub-second precision is not supported for this key, got ${ms}ms`);
}

function checkChannelOptions(prefix: string, options: ChannelOptions, globalMetaTtl: number): void {
  checkSecondPrecision(`${prefix}.history_ttl`, options.history_ttl);
  checkSecondPrecision(`${prefix}.history_meta_ttl`, options.history_meta_ttl);
  if ((options.history_size > 0) !== (options.history_ttl > 0)) {
    const missing = options.history_size > 0 ? 'history_ttl' : 'history_size';
    throw new ConfigError(
      `${prefix}.${missing}`,
      'history_size and history_ttl must both be set to keep history (or both be 0 to keep none)',
    );
  }
  const metaTtl = options.history_meta_ttl || globalMetaTtl;
  if (options.history_ttl > metaTtl) {
    throw new ConfigError(`${prefix}.history_ttl`, `must not be greater than the history meta TTL (${metaTtl / 1000}s)`);
  }
  if (options.force_recovery && options.history_size === 0) {
    throw new ConfigError(`${prefix}.force_recovery`, 'recovery needs history: set history_size and history_ttl');
  }
  checkRegex(`${prefix}.channel_regex`, options.channel_regex);
}

function checkTokenKeys(prefix: string, token: TokenKeysConfig, ed25519Key: string, ed25519Path: string): void {
  if (token.audience && token.audience_regex) {
    throw new ConfigError(`${prefix}.audience_regex`, 'set either audience or audience_regex, not both');
  }
  if (token.issuer && token.issuer_regex) {
    throw new ConfigError(`${prefix}.issuer_regex`, 'set either issuer or issuer_regex, not both');
  }
  checkRegex(`${prefix}.audience_regex`, token.audience_regex);
  checkRegex(`${prefix}.issuer_regex`, token.issuer_regex);
  if (token.user_id_claim && !claimNamePattern.test(token.user_id_claim)) {
    throw new ConfigError(`${prefix}.user_id_claim`, `must match ${claimNamePattern.source}, got "${token.user_id_claim}"`);
  }
  if (token.rsa_public_key) parseRsaPublicKey(token.rsa_public_key, `${prefix}.rsa_public_key`);
  if (token.ecdsa_public_key) parseEcdsaPublicKey(token.ecdsa_public_key, `${prefix}.ecdsa_public_key`);
  if (ed25519Key) parseEd25519PublicKey(ed25519Key, ed25519Path);
  const endpoint = token.jwks_public_endpoint;
  if (endpoint) {
    if (endpoint.includes('{{')) {
      throw new ConfigError(`${prefix}.jwks_public_endpoint`, 'templated JWKS endpoints are not supported yet; use a fixed URL');
    }
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new ConfigError(`${prefix}.jwks_public_endpoint`, `expected an http(s) URL, got "${endpoint}"`);
    }
  }
}

function checkAdmin(admin: RingcastConfig['admin']): void {
  if (admin.handler_prefix !== '' && !admin.handler_prefix.startsWith('/')) {
    throw new ConfigError('admin.handler_prefix', `must start with "/", got "${admin.handler_prefix}"`);
  }
  if (!admin.enabled || admin.insecure) return;
  for (const key of ['password', 'secret'] as const) {
    if (admin[key] === '') {
      throw new ConfigError(
        `admin.${key}`,
        'must be set when admin.enabled is on (admin.password is what the login asks for, admin.secret signs the ' +
          'sessions); admin.insecure turns the login off for local development',
      );
    }
  }
}

/** Rules that span several keys (Centrifugo's config validation), after each value has its type. */
export function validateConfig(config: RingcastConfig): void {
  const channel = config.channel;
  checkSecondPrecision('channel.history_meta_ttl', channel.history_meta_ttl);
  checkChannelOptions('channel.without_namespace', channel.without_namespace, channel.history_meta_ttl);
  const names = new Set<string>();
  channel.namespaces.forEach((namespace, i) => {
    const prefix = `channel.namespaces[${i}]`;
    if (!namespaceNamePattern.test(namespace.name)) {
      throw new ConfigError(
        `${prefix}.name`,
        `invalid namespace name "${namespace.name}": use at least 2 characters from letters, digits, "-", "_" and "."`,
      );
    }
    if (names.has(namespace.name)) throw new ConfigError(`${prefix}.name`, `namespace "${namespace.name}" is defined twice`);
    names.add(namespace.name);
    checkChannelOptions(prefix, namespace, channel.history_meta_ttl);
  });

  const personal = config.client.subscribe_to_user_personal_channel;
  if (personal.enabled) {
    const ns = personal.personal_channel_namespace;
    const options = ns === '' ? channel.without_namespace : channel.namespaces.find((n) => n.name === ns);
    if (!options) {
      throw new ConfigError(
        'client.subscribe_to_user_personal_channel.personal_channel_namespace',
        `namespace "${ns}" is not defined in channel.namespaces`,
      );
    }
    if (personal.single_connection && !options.presence) {
      throw new ConfigError(
        'client.subscribe_to_user_personal_channel.single_connection',
        `needs presence enabled in ${ns === '' ? 'channel.without_namespace' : `namespace "${ns}"`}`,
      );
    }
  }

  const client = config.client;
  if (client.ping_interval > 0 && client.pong_timeout >= client.ping_interval) {
    throw new ConfigError('client.pong_timeout', 'must be less than client.ping_interval');
  }
  const extension = config.ringcast.client;
  checkTokenKeys('client.token', client.token, extension.token.ed25519_public_key, 'ringcast.client.token.ed25519_public_key');
  checkTokenKeys(
    'client.subscription_token',
    client.subscription_token,
    extension.subscription_token.ed25519_public_key,
    'ringcast.client.subscription_token.ed25519_public_key',
  );
  validateListeners(config);
  for (const transport of ['uni_sse', 'uni_http_stream'] as const) {
    config[transport].connect_code_to_http_response.transforms.forEach((transform, i) => {
      const key = `${transport}.connect_code_to_http_response.transforms[${i}]`;
      if (transform.code === 0) throw new ConfigError(`${key}.code`, 'set the connect error or disconnect code to match');
      if (transform.to.status_code === 0) throw new ConfigError(`${key}.to.status_code`, 'set the HTTP status code to answer with');
    });
  }
  checkAdmin(config.admin);
  validateEngine(config);
  validateProxies(config);
}

/** Settings that are valid but probably not what the operator wants. */
export function configAdvisories(config: RingcastConfig): string[] {
  const out: string[] = [];
  if (!config.http_api.disabled && !config.http_api.insecure && config.http_api.key === '') {
    out.push('http_api.key is empty: every server API request will be refused (set a key, or http_api.insecure)');
  }
  if (config.grpc_api.enabled && config.grpc_api.key === '') {
    out.push('grpc_api.key is empty: the gRPC server API accepts every call without a key (as in Centrifugo)');
  }
  if (config.http_api.insecure) out.push('http_api.insecure is on: the server API accepts requests without a key');
  if (config.client.insecure) {
    out.push('client.insecure is on: clients connect, subscribe and publish without any checks (development only)');
  }
  out.push(...engineAdvisories(config));
  if (config.admin.enabled && config.admin.insecure) {
    out.push('admin.insecure is on: the admin UI and its actions need no password (local development only)');
  } else if (config.admin.enabled && config.admin.secret.length < 32) {
    out.push('admin.secret is shorter than 32 characters: use a long random value (ringcast genconfig makes one)');
  }
  return out;
}

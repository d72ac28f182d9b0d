import { z } from 'zod';
import { bool, durationMs, enumList, int, objectList, oneOf, section, str, strList } from './config-fields.js';

// The node configuration with Centrifugo v6's key names, nesting and defaults, so a Centrifugo config file loads.
// DURATIONS: written as Go duration strings ("25s", "1m30s", "500ms", "720h") or numbers of nanoseconds (as in
// Centrifugo); in the typed `RingcastConfig` every duration is a number of MILLISECONDS (fields marked "ms").
// Ringcast-only options live under the top-level `ringcast` key, mirroring the section they extend.

/** Token verification keys (`client.token`, and `client.subscription_token` when that is enabled). */
const tokenShape = {
  /** HS256/HS384/HS512 secret. */
  hmac_secret_key: str(),
  /** Accepted too while rotating keys, until `hmac_previous_secret_key_valid_until` (Unix seconds; 0 = always). */
  hmac_previous_secret_key: str(),
  hmac_previous_secret_key_valid_until: int(0),
  /** PEM (SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" or a certificate) for RS256/384/512 and PS256/384/512. */
  rsa_public_key: str(),
  /** PEM for ES256 (P-256), ES384 (P-384), ES512 (P-521). */
  ecdsa_public_key: str(),
  /** JWKS URL; when set, only keys from it verify tokens (RSA, EC, OKP/Ed25519), as in Centrifugo. */
  jwks_public_endpoint: str(),
  audience: str(),
  audience_regex: str(),
  issuer: str(),
  issuer_regex: str(),
  /** Claim holding the user ID instead of `sub` (letters and `_` only). */
  user_id_claim: str(),
};

const channelOptionsShape = {
  presence: bool(),
  join_leave: bool(),
  force_push_join_leave: bool(),
  history_size: int(0),
  /** ms */
  history_ttl: durationMs('0s'),
  /** ms; 0 = inherit `channel.history_meta_ttl`. */
  history_meta_ttl: durationMs('0s'),
  force_positioning: bool(),
  allow_positioning: bool(),
  force_recovery: bool(),
  allow_recovery: bool(),
  force_recovery_mode: oneOf(['', 'stream', 'cache'], ''),
  allowed_delta_types: enumList(['fossil']),
  delta_publish: bool(),
  allow_subscribe_for_anonymous: bool(),
  allow_subscribe_for_client: bool(),
  allow_publish_for_anonymous: bool(),
  allow_publish_for_subscriber: bool(),
  allow_publish_for_client: bool(),
  allow_presence_for_anonymous: bool(),
  allow_presence_for_subscriber: bool(),
  allow_presence_for_client: bool(),
  allow_history_for_anonymous: bool(),
  allow_history_for_subscriber: bool(),
  allow_history_for_client: bool(),
  allow_user_limited_channels: bool(),
  /** Go (RE2) regular expression the channel part after the namespace must match. */
  channel_regex: str(),
  /** '' = inherit `channel.publication_data_format`. */
  publication_data_format: oneOf(['', 'json', 'json_object', 'binary'], ''),
};

export const channelOptionsSchema = z.object(channelOptionsShape);
export const channelNamespaceSchema = z.object({ name: z.string(), ...channelOptionsShape });

const transportEndpoint = (prefix: string) => ({
  enabled: bool(),
  handler_prefix: str(prefix),
  max_request_body_size: int(65536),
});

export const configSchema = z.object({
  http_server: section({
    address: str(),
    port: int(8000, { max: 65535 }),
  }),
  log: section({
    /** Centrifugo's levels plus pino's `fatal`; `none` and `silent` turn logging off. */
    level: oneOf(['none', 'silent', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'], 'info'),
  }),
  engine: section({
    type: oneOf(['memory', 'redis'], 'memory'),
    redis: section({
      /** Shards, in order (the ring). */
      address: strList(['redis://127.0.0.1:6379']),
      prefix: str('centrifugo'),
      /** ms */
      connect_timeout: durationMs('1s'),
      /** ms */
      io_timeout: durationMs('4s'),
      db: int(0),
      user: str(),
      password: str(),
      client_name: str(),
      force_resp2: bool(),
      /** ms */
      presence_ttl: durationMs('60s'),
    }),
  }),
  client: section({
    token: section(tokenShape),
    subscription_token: section({ enabled: bool(), ...tokenShape }),
    allowed_origins: strList(),
    allow_anonymous_connect_without_token: bool(),
    disallow_anonymous_connection_tokens: bool(),
    /** ms */
    ping_interval: durationMs('25s'),
    /** ms */
    pong_timeout: durationMs('8s'),
    /** ms */
    expired_close_delay: durationMs('25s'),
    /** ms */
    expired_sub_close_delay: durationMs('25s'),
    /** ms */
    stale_close_delay: durationMs('10s'),
    channel_limit: int(128),
    /** bytes */
    queue_max_size: int(1048576),
    /** ms */
    presence_update_interval: durationMs('27s'),
    connection_limit: int(0),
    user_connection_limit: int(0),
    connect_include_server_time: bool(),
    history_max_publication_limit: int(300),
    recovery_max_publication_limit: int(300),
    insecure: bool(),
    subscribe_to_user_personal_channel: section({
      enabled: bool(),
      personal_channel_namespace: str(),
      single_connection: bool(),
    }),
  }),
  channel: section({
    without_namespace: section(channelOptionsShape),
    namespaces: objectList(channelNamespaceSchema),
    /** ms */
    history_meta_ttl: durationMs('720h'),
    publication_data_format: oneOf(['', 'json', 'json_object', 'binary'], ''),
    max_length: int(255),
    private_prefix: str('$'),
    namespace_boundary: str(':'),
    user_boundary: str('#'),
    user_separator: str(','),
  }),
  rpc: section({
    namespace_boundary: str(':'),
    /** Built-in RPC answering method `ping` with an empty result (no proxy needed). */
    ping: section({ enabled: bool(), method: str('ping') }),
  }),
  http_api: section({
    disabled: bool(),
    handler_prefix: str('/api'),
    key: str(),
    /** '' = errors in the body with HTTP 200; 'transport' = HTTP status codes (header X-Centrifugo-Error-Mode too). */
    error_mode: oneOf(['', 'transport'], ''),
    insecure: bool(),
  }),
  websocket: section({
    disabled: bool(),
    handler_prefix: str('/connection/websocket'),
    compression: bool(),
    compression_min_size: int(0),
    compression_level: int(1, { min: -2, max: 9 }),
    /** ms */
    write_timeout: durationMs('1000ms'),
    /** bytes */
    message_size_limit: int(65536),
  }),
  sse: section(transportEndpoint('/connection/sse')),
  http_stream: section(transportEndpoint('/connection/http_stream')),
  uni_websocket: section({
    enabled: bool(),
    handler_prefix: str('/connection/uni_websocket'),
    compression: bool(),
    /** ms */
    write_timeout: durationMs('1000ms'),
    message_size_limit: int(65536),
    join_push_messages: bool(),
  }),
  uni_sse: section(transportEndpoint('/connection/uni_sse')),
  uni_http_stream: section(transportEndpoint('/connection/uni_http_stream')),
  /** Serves the bidirectional SSE/HTTP-stream transports; on whenever one of them is enabled (no own flag). */
  emulation: section({
    handler_prefix: str('/emulation'),
    max_request_body_size: int(65536),
  }),
  // On by default, unlike Centrifugo: Kubernetes probes and the connection-count autoscaler depend on them.
  health: section({ enabled: bool(true), handler_prefix: str('/health') }),
  prometheus: section({ enabled: bool(true), handler_prefix: str('/metrics') }),
  node: section({
    /** '' = the host name. */
    name: str(),
    /** ms */
    info_metrics_aggregate_interval: durationMs('60s'),
  }),
  shutdown: section({
    /** ms */
    timeout: durationMs('30s'),
  }),
  /** Ringcast extensions (no Centrifugo equivalent). */
  ringcast: section({
    demo: section({ enabled: bool() }),
    http_api: section({
      /** bytes; Centrifugo reads API bodies without a limit, Ringcast refuses bodies above this (1 MiB). */
      max_request_body_size: int(1048576),
    }),
    client: section({
      token: section({
        /** Ed25519 public key PEM for EdDSA tokens (Centrifugo verifies EdDSA only through JWKS). */
        ed25519_public_key: str(),
      }),
      subscription_token: section({ ed25519_public_key: str() }),
    }),
  }),
});

/** The typed node configuration. Every duration field is in milliseconds. */
export type RingcastConfig = z.output<typeof configSchema>;
/** Options of one namespace (or of `channel.without_namespace`). Durations in milliseconds. */
export type ChannelOptions = z.output<typeof channelOptionsSchema>;
export type ChannelNamespace = z.output<typeof channelNamespaceSchema>;
/** `client.token` / `client.subscription_token` key fields. */
export type TokenKeysConfig = RingcastConfig['client']['token'];

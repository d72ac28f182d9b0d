import { z } from 'zod';
import { bool, durationMs, enumList, int, objectList, oneOf, section, str, strList } from './config-fields.js';
import { engineSections } from './engine-config-schema.js';
import { channelProxyOptionsShape, namedProxySchema, proxyShape, rpcNamespaceSchema, rpcOptionsShape } from './proxy-schema.js';
import { serverTlsShape } from './server-tls-schema.js';

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
  ...channelProxyOptionsShape,
};

export const channelOptionsSchema = z.object(channelOptionsShape);
export const channelNamespaceSchema = z.object({ name: z.string(), ...channelOptionsShape });

const transportEndpoint = (prefix: string) => ({
  enabled: bool(),
  handler_prefix: str(prefix),
  max_request_body_size: int(65536),
});

/** One `connect_code_to_http_response` transform: a connect error or disconnect code → an HTTP response. */
export const connectCodeTransformSchema = z.object({
  code: int(0, { min: 0 }),
  to: section({ status_code: int(0, { min: 0, max: 599 }), body: str() }),
});

/**
 * Unidirectional HTTP transports: with `connect_code_to_http_response.enabled`, a refused connect answers with an
 * HTTP response (a matching transform's status and body; otherwise 500) instead of a stream that ends with a
 * disconnect.
 */
const uniHttpEndpoint = (prefix: string) => ({
  ...transportEndpoint(prefix),
  connect_code_to_http_response: section({
    enabled: bool(),
    transforms: objectList(connectCodeTransformSchema),
  }),
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
  ...engineSections,
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
    /** Connection-wide proxies: connect (connections without a token) and refresh (server-side expiry). */
    proxy: section({
      connect: section({ enabled: bool(), ...proxyShape }),
      refresh: section({ enabled: bool(), ...proxyShape }),
    }),
    /** Unidirectional clients cannot get a connect error reply: these codes become these disconnects. */
    connect_code_to_unidirectional_disconnect: section({
      enabled: bool(),
      transforms: objectList(
        z.object({ code: int(0), to: section({ code: int(0), reason: str() }) }),
      ),
    }),
  }),
  channel: section({
    /** The proxies namespaces use under the name `default`. */
    proxy: section({
      subscribe: section(proxyShape),
      publish: section(proxyShape),
      sub_refresh: section(proxyShape),
    }),
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
    /** The proxy RPC namespaces use under the name `default`. */
    proxy: section(proxyShape),
    without_namespace: section(rpcOptionsShape),
    namespaces: objectList(rpcNamespaceSchema),
  }),
  /** Named proxies (`subscribe_proxy_name`, `proxy_name`, … refer to them). */
  proxies: objectList(namedProxySchema),
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
  uni_sse: section(uniHttpEndpoint('/connection/uni_sse')),
  uni_http_stream: section(uniHttpEndpoint('/connection/uni_http_stream')),
  /** The gRPC server API (service centrifugal.centrifugo.api.CentrifugoApi) on its own port. */
  grpc_api: section({
    enabled: bool(),
    /** '' = errors in the reply's `error` field; 'transport' = gRPC status codes (metadata x-centrifugo-error-mode too). */
    error_mode: oneOf(['', 'transport'], ''),
    /** '' = every interface. */
    address: str(),
    port: int(10000, { max: 65535 }),
    /** Each call must carry metadata `authorization: apikey <key>`; empty = no check (as in Centrifugo). */
    key: str(),
    tls: section(serverTlsShape),
    /** bytes; 0 = gRPC's default (4 MiB). */
    max_receive_message_size: int(0),
  }),
  /** The unidirectional gRPC stream (service centrifugal.centrifugo.unistream.CentrifugoUniStream) on its own port. */
  uni_grpc: section({
    enabled: bool(),
    address: str(),
    port: int(11000, { max: 65535 }),
    /** bytes; 0 = gRPC's default (4 MiB). */
    max_receive_message_size: int(0),
    tls: section(serverTlsShape),
  }),
  /**
   * SockJS (dropped by Centrifugo v6, kept by Ringcast for older browsers and proxies): the JSON client protocol over
   * SockJS's transports. Sessions of the HTTP-polling transports live on one node: multi-node setups route a
   * client's requests to one node by the session path (sticky routing).
   */
  sockjs: section({
    enabled: bool(),
    handler_prefix: str('/connection/sockjs'),
    /** The sockjs-client script the iframe transports load ('' = the jsDelivr copy of sockjs-client 1). */
    url: str(),
    /** ms between heartbeat frames on an idle session. */
    heartbeat_delay: durationMs('25s'),
    /** bytes; a larger message from a client closes its session. */
    max_message_size: int(65536),
  }),
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
  /** The admin web UI at `<handler_prefix>/admin` (Centrifugo's keys). */
  admin: section({
    enabled: bool(),
    /** Prefix of the admin paths; '' serves the UI at `/admin`. */
    handler_prefix: str(),
    /** What the login form asks for. */
    password: str(),
    /** Signs the admin session cookies (HMAC-SHA256). */
    secret: str(),
    /** No login at all: for local development only. */
    insecure: bool(),
    /** Accepted for Centrifugo configs; Ringcast serves everything on one port, the admin UI included. */
    external: bool(),
  }),
  /** Ringcast extensions (no Centrifugo equivalent). */
  ringcast: section({
    demo: section({ enabled: bool() }),
    engine: section({
      redis: section({
        /**
         * A file listing the ring's shards, re-read when it changes (instead of the engine.redis addresses):
         * `shards: [ "redis://…", {name, address}, … ]` in YAML or JSON.
         */
        ring_file: str(),
      }),
    }),
    http_api: section({
      /** bytes; Centrifugo reads API bodies without a limit, Ringcast refuses bodies above this (1 MiB). */
      max_request_body_size: int(1048576),
    }),
    proxy: section({
      /**
       * bytes; a backend answer above this is refused (error 100 to the client). 4 MiB, gRPC's default message
       * limit, which Centrifugo's gRPC proxies have too (its HTTP proxies read any size).
       */
      max_response_size: int(4194304, { min: 1 }),
    }),
    client: section({
      /**
       * Honour the channel compaction the SDKs ask for on subscribe (flag bit 1): the reply carries a numeric
       * channel id and publication/join/leave pushes carry that id instead of the channel name. Off by default,
       * as in Centrifugo v6, which ignores the request.
       */
      allow_channel_compaction: bool(),
      /**
       * Most replies one bidirectional WebSocket message carries: replies queued for a socket in one flush leave
       * joined (JSON by `\n`, protobuf back to back), as Centrifugo's writer joins up to 16. 1 = one each.
       */
      max_messages_in_frame: int(16, { min: 1 }),
      /**
       * ms; how long writes wait to be coalesced. 0 (default) flushes at the end of the event-loop turn; a few
       * ms trade latency for more replies per write and syscall under many small channels.
       */
      write_delay: durationMs('0s'),
      token: section({
        /** Ed25519 public key PEM for EdDSA tokens (Centrifugo verifies EdDSA only through JWKS). */
        ed25519_public_key: str(),
      }),
      subscription_token: section({ ed25519_public_key: str() }),
    }),
    /** Set by the operator: the node belongs to a RealtimeCluster and follows it (ring, live channel options). */
    kubernetes: section({
      /** Name of the node's RealtimeCluster; '' = not run by the operator. */
      cluster: str(),
      /** Its namespace; '' = the namespace of the node's service account (in-cluster) or kubeconfig context. */
      namespace: str(),
      /** A kubeconfig file for running outside the cluster; '' = the pod's service account credentials. */
      kubeconfig: str(),
    }),
    admin: section({
      /** ms; how long an admin login lasts before the password is asked again. */
      session_ttl: durationMs('8h'),
    }),
    shutdown: section({
      /**
       * ms; on SIGTERM the node stops accepting connections and spreads its clients' disconnects (reconnect code
       * 3001) over this window, so they move to other nodes gradually. 0 = disconnect everyone at once.
       */
      drain_window: durationMs('0s'),
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

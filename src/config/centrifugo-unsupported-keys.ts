// Centrifugo v6 configuration keys Ringcast knows but does not implement yet. A config using them still loads;
// each one present produces a warning naming it, distinct from the "unknown key" warning for misspellings.
// `[]` stands for any array index. Names only (facts about Centrifugo's config surface).

const topLevel = [
  'map_broker',
  'controller',
  'shared_poll',
  'consumers',
  'webtransport',
  'swagger',
  'debug',
  'init',
  'opentelemetry',
  'graphite',
  'usage_stats',
  'pid_file',
  'enable_unreleased_features',
];

const channelOptions = [
  'map_clients_presence_channel_prefix',
  'map_users_presence_channel_prefix',
  'auto_cache_recover',
  'allow_tags_filter',
  'subscribe_stream_proxy_enabled',
  'subscribe_stream_proxy_name',
  'subscribe_stream_proxy_bidirectional',
  'subscription_type',
  'map',
  'shared_poll',
];

const tokenOptions = ['insecure_skip_jwks_endpoint_safety_check'];

const uniWebsocketBuffers = [
  'read_buffer_size',
  'use_write_buffer_pool',
  'write_buffer_size',
  'decompressed_message_size_limit',
];

const bySection: Record<string, string[]> = {
  http_server: [
    'internal_address',
    'internal_port',
    'tls',
    'tls_autocert',
    'tls_external',
    'internal_tls',
    'http3',
    'h2c_external',
  ],
  log: ['file'],
  // Ringcast ships its own admin UI; Centrifugo's web app files or a proxy to them do not apply.
  admin: ['web_path', 'web_proxy_address'],
  'engine.redis': ['history_use_lists', 'presence_hash_field_ttl', 'replica_client'],
  'engine.redis.tls': ['client_ca_pem'],
  'engine.redis.sentinel_tls': ['client_ca_pem'],
  broker: ['redis', 'postgres', 'redisnats'],
  'broker.nats.raw_mode': ['channel_replacements'],
  'broker.nats.tls': ['client_ca_pem'],
  'presence_manager.redis': ['presence_hash_field_ttl', 'replica_client'],
  'presence_manager.redis.tls': ['client_ca_pem'],
  'presence_manager.redis.sentinel_tls': ['client_ca_pem'],
  client: [
    'concurrency',
    'channel_position_check_delay',
    'channel_position_max_time_lag',
    'connection_rate_limit',
    'insecure_skip_token_signature_verify',
    'user_id_http_header',
  ],
  'client.token': tokenOptions,
  'client.subscription_token': tokenOptions,
  'channel.proxy': ['subscribe_stream', 'map_publish', 'map_remove', 'shared_poll_refresh'],
  'channel.without_namespace': channelOptions,
  'channel.namespaces[]': channelOptions,
  http_api: ['external'],
  grpc_api: ['reflection'],
  websocket: uniWebsocketBuffers,
  uni_websocket: [
    ...uniWebsocketBuffers,
    'compression_min_size',
    'compression_level',
    'disable_closing_handshake',
    'disable_disconnect_push',
  ],
  prometheus: ['instrument_http_handlers', 'recovered_publications_histogram', 'native_histograms'],
};

const unsupported = new Set<string>(topLevel);
for (const [sectionPath, keys] of Object.entries(bySection)) {
  for (const key of keys) unsupported.add(`${sectionPath}.${key}`);
}

/** Whether a dotted key path (array indexes allowed, e.g. "channel.namespaces[2].map") is a Centrifugo key. */
export function isUnsupportedCentrifugoKey(path: string): boolean {
  return unsupported.has(path.replace(/\[\d+\]/g, '[]'));
}

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config/load-config.js';

describe('defaults (Centrifugo v6)', () => {
  const { config } = loadConfig({ env: {} });

  it('client timings and limits, durations in milliseconds', () => {
    expect(config.client.ping_interval).toBe(25_000);
    expect(config.client.pong_timeout).toBe(8_000);
    expect(config.client.expired_close_delay).toBe(25_000);
    expect(config.client.expired_sub_close_delay).toBe(25_000);
    expect(config.client.stale_close_delay).toBe(10_000);
    expect(config.client.channel_limit).toBe(128);
    expect(config.client.queue_max_size).toBe(1_048_576);
    expect(config.client.history_max_publication_limit).toBe(300);
    expect(config.client.recovery_max_publication_limit).toBe(300);
    expect(config.client.user_connection_limit).toBe(0);
    expect(config.client.connection_limit).toBe(0);
    expect(config.client.insecure).toBe(false);
    expect(config.client.allow_anonymous_connect_without_token).toBe(false);
    expect(config.client.allowed_origins).toEqual([]);
    expect(config.client.subscription_token.enabled).toBe(false);
  });

  it('channel rules and namespace options', () => {
    expect(config.channel.max_length).toBe(255);
    expect(config.channel.private_prefix).toBe('$');
    expect(config.channel.namespace_boundary).toBe(':');
    expect(config.channel.user_boundary).toBe('#');
    expect(config.channel.user_separator).toBe(',');
    expect(config.channel.history_meta_ttl).toBe(720 * 3_600_000);
    expect(config.channel.namespaces).toEqual([]);
    expect(config.channel.without_namespace).toMatchObject({
      presence: false,
      history_size: 0,
      history_ttl: 0,
      allow_subscribe_for_client: false,
      allow_publish_for_subscriber: false,
      force_recovery_mode: '',
      allowed_delta_types: [],
    });
  });

  it('endpoints, engine and the Ringcast extensions', () => {
    expect(config.http_server).toEqual({ address: '', port: 8000 });
    expect(config.http_api).toEqual({ disabled: false, handler_prefix: '/api', key: '', error_mode: '', insecure: false });
    expect(config.websocket.handler_prefix).toBe('/connection/websocket');
    expect(config.websocket.message_size_limit).toBe(65536);
    expect(config.websocket.write_timeout).toBe(1000);
    expect(config.sse).toEqual({ enabled: false, handler_prefix: '/connection/sse', max_request_body_size: 65536 });
    expect(config.http_stream.handler_prefix).toBe('/connection/http_stream');
    expect(config.uni_websocket.handler_prefix).toBe('/connection/uni_websocket');
    expect(config.uni_sse.handler_prefix).toBe('/connection/uni_sse');
    expect(config.uni_http_stream.handler_prefix).toBe('/connection/uni_http_stream');
    expect(config.emulation).toEqual({ handler_prefix: '/emulation', max_request_body_size: 65536 });
    expect(config.health).toEqual({ enabled: true, handler_prefix: '/health' });
    expect(config.prometheus).toEqual({ enabled: true, handler_prefix: '/metrics' });
    expect(config.engine.type).toBe('memory');
    expect(config.engine.redis.address).toEqual(['redis://127.0.0.1:6379']);
    expect(config.engine.redis.prefix).toBe('centrifugo');
    expect(config.log.level).toBe('info');
    expect(config.shutdown.timeout).toBe(30_000);
    expect(config.rpc.ping).toEqual({ enabled: false, method: 'ping' });
    expect(config.ringcast.demo.enabled).toBe(false);
    expect(config.ringcast.http_api.max_request_body_size).toBe(1_048_576);
  });

  it('returns fresh default lists for every load', () => {
    const a = loadConfig({ env: {} }).config;
    a.client.allowed_origins.push('x');
    expect(loadConfig({ env: {} }).config.client.allowed_origins).toEqual([]);
  });
});

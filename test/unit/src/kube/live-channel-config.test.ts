import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../../src/config/config-error.js';
import { loadConfig } from '../../../../src/config/load-config.js';
import { rawChannelConfig, withChannelConfig } from '../../../../src/kube/live-channel-config.js';

describe('withChannelConfig', () => {
  const { config } = loadConfig({ raw: { channel: { namespaces: [{ name: 'news' }] }, client: { ping_interval: '20s' } }, env: {} });

  it('replaces the channel section only, with defaults, as a restart with that section would', () => {
    const next = withChannelConfig(config, { namespaces: [{ name: 'chat', history_size: 10, history_ttl: '60s' }] });
    expect(next.channel.namespaces.map((n) => [n.name, n.history_size, n.history_ttl])).toEqual([['chat', 10, 60_000]]);
    expect(next.client.ping_interval).toBe(20_000);
    expect(withChannelConfig(config, undefined).channel.namespaces).toEqual([]);
  });

  it('refuses an invalid section naming the key', () => {
    expect(() => withChannelConfig(config, { namespaces: [{ name: 'chat', history_size: 10 }] })).toThrow(ConfigError);
    try {
      withChannelConfig(config, { namespaces: [{ name: 'chat', presence: 'maybe' }] });
    } catch (error) {
      expect((error as ConfigError).key).toBe('channel.namespaces[0].presence');
    }
  });

  it('refuses access-deciding keys Ringcast does not implement, and proxies without an endpoint, as at start-up', () => {
    const refusedKey = (raw: unknown): string => {
      try {
        withChannelConfig(config, raw);
      } catch (error) {
        if (error instanceof ConfigError) return error.key;
        throw error;
      }
      return '';
    };
    expect(refusedKey({ namespaces: [{ name: 'feed', subscribe_stream_proxy_enabled: true }] })).toBe('channel.namespaces[0].subscribe_stream_proxy_enabled');
    expect(refusedKey({ namespaces: [{ name: 'chat', publish_proxy_enabled: true }] })).toBe('channel.proxy.publish.endpoint');
    const next = withChannelConfig(config, { proxy: { publish: { endpoint: 'http://app/publish' } }, namespaces: [{ name: 'chat', publish_proxy_enabled: true }] });
    expect(next.channel.namespaces[0]?.publish_proxy_enabled).toBe(true);
  });

  it('reads spec.config.channel from a RealtimeCluster', () => {
    expect(rawChannelConfig({ metadata: { name: 'c' }, spec: { config: { channel: { max_length: 10 } } } })).toEqual({ max_length: 10 });
    expect(rawChannelConfig({ metadata: { name: 'c' }, spec: {} })).toBeUndefined();
  });
});

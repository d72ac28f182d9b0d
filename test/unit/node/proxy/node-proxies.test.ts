import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { NodeProxies } from '../../../../node/proxy/node-proxies.js';
import { loadConfig } from '../../../../src/config/load-config.js';
import { withChannelConfig } from '../../../../src/kube/live-channel-config.js';
import { Metrics } from '../../../../src/observability/metrics.js';

const counts = { connections: () => 0, users: () => 0, subscriptions: () => 0, channels: () => 0 };

function proxiesFor(raw: Record<string, unknown>): { proxies: NodeProxies; config: ReturnType<typeof loadConfig>['config'] } {
  const { config } = loadConfig({ raw, env: {} });
  return { proxies: new NodeProxies(config, new Metrics(counts), pino({ level: 'silent' })), config };
}

describe('NodeProxies', () => {
  it('binds each proxy in use once per name, HTTP or gRPC by endpoint, and routes RPC methods by namespace', () => {
    const { proxies, config } = proxiesFor({
      channel: {
        proxy: { subscribe: { endpoint: 'http://app/subscribe' } },
        namespaces: [
          { name: 'a1', subscribe_proxy_enabled: true },
          { name: 'a2', subscribe_proxy_enabled: true },
          { name: 'b1', publish_proxy_enabled: true, publish_proxy_name: 'moderation' },
          { name: 'c1' },
        ],
      },
      rpc: { proxy: { endpoint: 'grpc://app:1' }, namespaces: [{ name: 'fn', proxy_enabled: true }, { name: 'off' }] },
      proxies: [{ name: 'moderation', endpoint: 'grpc://mod:2', http_headers: ['X-Token'] }],
    });
    try {
      const [a1, a2, b1, c1] = config.channel.namespaces;
      expect(proxies.channel('subscribe', a1!)).toBe(proxies.channel('subscribe', a2!));
      expect(proxies.channel('subscribe', a1!)?.protocol).toBe('http');
      expect(proxies.channel('publish', b1!)).toMatchObject({ name: 'moderation', protocol: 'grpc' });
      expect(proxies.channel('publish', c1!)).toBeNull();
      expect(proxies.connect).toBeNull();
      expect(proxies.rpcProxied).toBe(true);
      expect(proxies.rpc('fn:x')).toMatchObject({ type: 'proxy' });
      expect(proxies.rpc('off:x')).toEqual({ type: 'not_proxied' });
      expect(proxies.rpc('nope:x')).toEqual({ type: 'unknown_namespace' });
      expect(proxies.rpc('plain')).toEqual({ type: 'not_proxied' });
      // Headers some configured proxy passes on are kept per connection (lower-case).
      expect(proxies.connectionHeaderNames).toEqual(['x-token']);
    } finally {
      proxies.close();
    }
  });

  it('uses channel options edited while running: a namespace that turns a proxy on gets it at once', () => {
    const { proxies, config } = proxiesFor({ channel: { namespaces: [{ name: 'chat' }] } });
    try {
      expect(proxies.channel('publish', config.channel.namespaces[0]!)).toBeNull();
      const next = withChannelConfig(config, {
        proxy: { publish: { endpoint: 'http://app/publish', http_headers: ['Cookie'] } },
        namespaces: [{ name: 'chat', publish_proxy_enabled: true }],
      });
      proxies.replaceChannelConfig(next.channel);
      expect(proxies.channel('publish', next.channel.namespaces[0]!)).toMatchObject({ type: 'publish', name: 'default', protocol: 'http' });
      expect(proxies.connectionHeaderNames).toEqual(['cookie']);
    } finally {
      proxies.close();
    }
  });
});

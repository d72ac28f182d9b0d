import { describe, expect, it } from 'vitest';
import { engineSelection, presenceTtlMs } from '../../../../src/config/engine-selection.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const load = (raw: Record<string, unknown>) => loadConfig({ raw, env: {} });

describe('engine selection', () => {
  it('follows engine.type, and an enabled broker or presence_manager replaces the engine part, as in Centrifugo', () => {
    expect(engineSelection(load({}).config)).toEqual({ broker: 'memory', presence: 'memory' });
    expect(engineSelection(load({ engine: { type: 'redis' } }).config)).toEqual({ broker: 'redis', presence: 'redis' });
    expect(engineSelection(load({ engine: { type: 'nats' } }).config)).toEqual({ broker: 'nats', presence: 'memory' });
    expect(engineSelection(load({ engine: { type: 'tarantool' } }).config)).toEqual({ broker: 'tarantool', presence: 'tarantool' });
    const split = load({
      broker: { enabled: true, type: 'nats', nats: { url: 'nats://10.0.0.1:4222' } },
      presence_manager: { enabled: true, type: 'redis', redis: { address: 'redis://10.0.0.2:6379', presence_ttl: '20s' } },
    }).config;
    expect(engineSelection(split)).toEqual({ broker: 'nats', presence: 'presence-manager-redis' });
    expect(presenceTtlMs(split)).toBe(20_000);
    expect(engineSelection(load({ engine: { type: 'redis' }, broker: { enabled: true, type: 'nats' } }).config)).toEqual({
      broker: 'nats',
      presence: 'redis',
    });
  });

  it('reads Centrifugo\'s NATS keys', () => {
    const { config } = load({ broker: { enabled: true, type: 'nats', nats: { url: 'nats://a:4222,nats://b:4222', prefix: 'x', dial_timeout: '2s' } } });
    expect(config.broker.nats).toMatchObject({ url: 'nats://a:4222,nats://b:4222', prefix: 'x', dial_timeout: 2000, write_timeout: 1000 });
  });
});

describe('engine validation', () => {
  it('refuses history on the NATS broker, naming the namespace key', () => {
    expect(() =>
      load({ engine: { type: 'nats' }, channel: { namespaces: [{ name: 'chat', history_size: 10, history_ttl: '60s' }] } }),
    ).toThrow('config key channel.namespaces[0].history_size: the NATS broker keeps no history');
    expect(() =>
      load({ broker: { enabled: true, type: 'nats' }, channel: { without_namespace: { history_size: 10, history_ttl: '60s', force_recovery: true } } }),
    ).toThrow('config key channel.without_namespace.history_size: the NATS broker keeps no history');
    expect(() => load({ engine: { type: 'redis' }, channel: { namespaces: [{ name: 'chat', history_size: 10, history_ttl: '60s' }] } })).not.toThrow();
  });

  it('refuses brokers Ringcast does not have and NATS raw mode', () => {
    expect(() => load({ broker: { enabled: true, type: 'postgres' } })).toThrow('config key broker.type: the "postgres" broker is not supported');
    expect(() => load({ broker: { type: 'postgres' } })).not.toThrow();
    expect(() => load({ engine: { type: 'nats' }, broker: { nats: { raw_mode: { enabled: true } } } })).toThrow('broker.nats.raw_mode.enabled');
    expect(() => load({ engine: { type: 'tarantool', tarantool: { address: [] } } })).toThrow('config key engine.tarantool.address');
    expect(() => load({ presence_manager: { enabled: true, type: 'redis', redis: { address: [] } } })).toThrow(
      'config key presence_manager.redis.address',
    );
    expect(() => load({ presence_manager: { enabled: true, type: 'redis', redis: { address: 'redis://10.0.0.2:99999' } } })).toThrow(
      'config key presence_manager.redis.address[0]: malformed Redis address',
    );
  });

  it('warns that presence stays per node on NATS without a Redis presence manager', () => {
    const perNode = load({ engine: { type: 'nats' }, channel: { namespaces: [{ name: 'room', presence: true }] } });
    expect(perNode.warnings.join('\n')).toContain('presence is on in channel.namespaces[0] but kept in each node\'s memory');
    const shared = load({
      engine: { type: 'nats' },
      presence_manager: { enabled: true, type: 'redis' },
      channel: { namespaces: [{ name: 'room', presence: true }] },
    });
    expect(shared.warnings.join('\n')).not.toContain('presence is on');
  });
});

import { describe, expect, it } from 'vitest';
import {
  clusterAddress,
  parseShardAddress,
  redact,
  sentinelAddress,
} from '../../../../../src/engine/redis/shard-address.js';
import { reconnectDelayMs } from '../../../../../src/engine/redis/redis-connection-settings.js';

describe('Redis shard addresses (Centrifugo forms)', () => {
  it('reads host:port and redis:// URLs with credentials, DB and options', () => {
    expect(parseShardAddress('10.0.0.1:6380')).toEqual({ mode: 'standalone', hosts: [{ host: '10.0.0.1', port: 6380 }] });
    const t = parseShardAddress('redis://u%40x:p%2Fw@redis-0.redis:6379/3?connect_timeout=250ms&io_timeout=2s');
    expect(t).toMatchObject({ mode: 'standalone', hosts: [{ host: 'redis-0.redis', port: 6379 }], user: 'u@x', password: 'p/w', db: 3 });
    expect([t.connectTimeoutMs, t.ioTimeoutMs, t.tls]).toEqual([250, 2000, undefined]);
    expect(parseShardAddress('rediss://h:1').tls).toBe(true);
    expect(parseShardAddress('redis://h:1?tls_enabled=true').tls).toBe(true);
    expect(parseShardAddress('unix:///run/redis.sock').path).toBe('/run/redis.sock');
  });

  it('reads Sentinel and Cluster forms, and builds them from Centrifugo comma lists', () => {
    const s = parseShardAddress(sentinelAddress('127.0.0.1:26379,127.0.0.1:26380', 'mymaster'));
    expect(s).toMatchObject({
      mode: 'sentinel',
      sentinelMasterName: 'mymaster',
      hosts: [{ host: '127.0.0.1', port: 26379 }, { host: '127.0.0.1', port: 26380 }],
    });
    const c = parseShardAddress(clusterAddress('127.0.0.1:7000,127.0.0.1:7001'));
    expect(c).toMatchObject({ mode: 'cluster', hosts: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }] });
  });

  it('says what is wrong with a bad address', () => {
    expect(() => parseShardAddress('redis+sentinel://h:1')).toThrow(/sentinel_master_name/);
    expect(() => parseShardAddress('localhost')).toThrow(/host:port/);
    expect(() => parseShardAddress('redis://h:1/x')).toThrow(/not a number/);
    expect(() => parseShardAddress('http://h:1')).toThrow(/unsupported scheme/);
    expect(() => parseShardAddress('redis://h:99999')).toThrow();
  });

  it('redacts passwords', () => {
    expect(redact('redis://user:secret@h:1?sentinel_password=x')).toBe('redis://user:***@h:1?sentinel_password=***');
  });

  it('backs off exponentially up to 2 s with jitter', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(25);
    expect(reconnectDelayMs(0, () => 1)).toBe(50);
    expect(reconnectDelayMs(10, () => 0)).toBe(1000);
    expect(reconnectDelayMs(10, () => 1)).toBe(2000);
  });
});

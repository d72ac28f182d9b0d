import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../src/config/config-error.js';
import { loadConfig } from '../../../../../src/config/load-config.js';
import { redisConnectionSettings, ringFromConfig } from '../../../../../src/engine/redis/redis-config.js';
import { nextRing, parseRingFile } from '../../../../../src/sharding/ring-file.js';

const load = (overrides: Record<string, unknown>) => loadConfig({ env: {}, overrides }).config;

describe('the Redis ring from the node config (Centrifugo keys)', () => {
  it('reads address lists, and Cluster before Sentinel before plain addresses', () => {
    const plain = ringFromConfig(load({ 'engine.type': 'redis', 'engine.redis.address': ['redis://:pw@a:1', 'b:2'] }).engine.redis);
    expect(plain).toEqual({ version: 0, shards: [{ name: 'redis://a:1', address: 'redis://:pw@a:1' }, { name: 'b:2', address: 'b:2' }] });
    const sentinel = ringFromConfig(
      load({ 'engine.type': 'redis', 'engine.redis.sentinel_address': ['s1:26379,s2:26379'], 'engine.redis.sentinel_master_name': 'm' })
        .engine.redis,
    );
    expect(sentinel.shards.map((s) => s.address)).toEqual(['redis+sentinel://s1:26379?sentinel_master_name=m&addr=s2%3A26379']);
    const cluster = ringFromConfig(
      load({ 'engine.type': 'redis', 'engine.redis.cluster_address': ['c1:7000,c2:7000', 'd1:7000'], 'engine.redis.sentinel_address': ['x:1'] })
        .engine.redis,
    );
    expect(cluster.shards.map((s) => s.address)).toEqual(['redis+cluster://c1:7000?addr=c2%3A7000', 'redis+cluster://d1:7000']);
  });

  it('refuses an address that does not parse, naming it, and Sentinel without a master name', () => {
    const bad = () => load({ 'engine.type': 'redis', 'engine.redis.address': ['redis://ok:1', 'nohost'] });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/engine\.redis\.address\[1\].*host:port/);
    expect(() => load({ 'engine.type': 'redis', 'engine.redis.sentinel_address': ['s:1'] })).toThrow(/sentinel_master_name/);
  });

  it('builds connection settings with TLS only when enabled', () => {
    const settings = redisConnectionSettings(
      load({ 'engine.redis.password': 'p', 'engine.redis.io_timeout': '2s', 'engine.redis.tls': { enabled: true, insecure_skip_verify: true } })
        .engine.redis,
    );
    expect(settings).toMatchObject({ password: 'p', ioTimeoutMs: 2000, connectTimeoutMs: 1000, tls: { rejectUnauthorized: false } });
    expect(redisConnectionSettings(load({}).engine.redis).tls).toBeUndefined();
  });
});

describe('ring files', () => {
  const name = (a: string) => `n(${a})`;
  it('reads lists and {version, shards} in YAML or JSON', () => {
    expect(parseRingFile('- redis://a:1\n- {name: b, address: "redis://b:2"}\n', name)).toEqual({
      version: undefined,
      shards: [{ name: 'n(redis://a:1)', address: 'redis://a:1' }, { name: 'b', address: 'redis://b:2' }],
    });
    expect(parseRingFile('{"version": 7, "shards": ["a:1"]}', name).version).toBe(7);
  });
  it('rejects what is not a ring', () => {
    for (const bad of ['{ "shards": [ ', 'shards: []', 'shards: [{name: x}]', 'shards: [{address: "a:1", name: s}, {address: "b:1", name: s}]', 'version: -1\nshards: [a:1]']) {
      expect(() => parseRingFile(bad, name), bad).toThrow();
    }
  });
  it('bumps the version only when the shards change', () => {
    const first = nextRing(undefined, { version: undefined, shards: [{ name: 'a', address: 'a:1' }] })!;
    expect(first.version).toBe(1);
    expect(nextRing(first, { version: undefined, shards: [{ name: 'a', address: 'a:1' }] })).toBeUndefined();
    expect(nextRing(first, { version: undefined, shards: [{ name: 'a', address: 'a:1' }, { name: 'b', address: 'b:1' }] })?.version).toBe(2);
  });
});

import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { describeBrokerContract } from './broker-contract.js';
import { describeControlContract } from './control-contract.js';
import { describePresenceContract } from './presence-contract.js';
import { redisFactories } from './redis-engine-fixture.js';

// The engine contract on real redis-server processes: one shard, and a ring of two shards (channels spread
// over both by the jump hash).
const servers: RedisServer[] = [];

beforeAll(async () => {
  servers.push(...(await Promise.all([startRedisServer(), startRedisServer()])));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const oneShard = redisFactories(() => [{ name: 'redis-0', address: servers[0]!.url }]);
describeBrokerContract('redis, one shard', oneShard.broker);
describePresenceContract('redis, one shard', oneShard.presence);
describeControlContract('redis, one shard', oneShard.control);

const twoShards = redisFactories(() => servers.map((s, i) => ({ name: `redis-${i}`, address: s.url })));
describeBrokerContract('redis, two shards', twoShards.broker);
describePresenceContract('redis, two shards', twoShards.presence);
describeControlContract('redis, two shards', twoShards.control);

import { afterAll, beforeAll, describe } from 'vitest';
import { startRedisCluster, startSentinelShard, type RedisClusterShard, type SentinelShard } from '../helpers/redis-topologies.js';
import { describeBrokerContract } from './broker-contract.js';
import { describePresenceContract } from './presence-contract.js';
import { redisFactories } from './redis-engine-fixture.js';

// The engine contract on a Sentinel-managed shard and on a Redis Cluster of three masters (keys with the
// channel as hash tag), each started by the test from redis-server processes.
describe('Sentinel-managed shard', () => {
  let sentinel: SentinelShard;
  beforeAll(async () => {
    sentinel = await startSentinelShard();
  }, 60_000);
  afterAll(() => sentinel?.stop());
  const factories = redisFactories(() => [{ name: 'sentinel-0', address: sentinel.address }]);
  describeBrokerContract('redis, Sentinel', factories.broker);
  describePresenceContract('redis, Sentinel', factories.presence);
});

describe('Redis Cluster shard', () => {
  let cluster: RedisClusterShard;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(() => cluster?.stop());
  const factories = redisFactories(() => [{ name: 'cluster-0', address: cluster.address }]);
  describeBrokerContract('redis, Cluster of 3 masters', factories.broker);
  describePresenceContract('redis, Cluster of 3 masters', factories.presence);
});

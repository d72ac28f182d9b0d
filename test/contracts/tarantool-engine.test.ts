import { afterAll, beforeAll } from 'vitest';
import { startTarantool, type TarantoolServer } from '../helpers/tarantool-server.js';
import { describeBrokerContract } from './broker-contract.js';
import { describeControlContract } from './control-contract.js';
import { describePresenceContract } from './presence-contract.js';
import { tarantoolFactories } from './tarantool-engine-fixture.js';

// The whole engine contract on real tarantool processes: one instance, and two instances (channels spread over
// both by the jump hash, as on the Redis ring).
const servers: TarantoolServer[] = [];

beforeAll(async () => {
  servers.push(...(await Promise.all([startTarantool(), startTarantool()])));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const one = tarantoolFactories(() => [servers[0]!.address]);
describeBrokerContract('tarantool, one instance', one.broker);
describePresenceContract('tarantool, one instance', one.presence);
describeControlContract('tarantool, one instance', one.control);

const two = tarantoolFactories(() => servers.map((s) => s.address));
describeBrokerContract('tarantool, two instances', two.broker);
describePresenceContract('tarantool, two instances', two.presence);
describeControlContract('tarantool, two instances', two.control);

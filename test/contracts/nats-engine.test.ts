import pino from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { MemoryPresenceManager } from '../../src/engine/memory/memory-presence.js';
import { Metrics } from '../../src/observability/metrics.js';
import { systemClock } from '../../src/timing/clock.js';
import { startEngine } from '../../node/server/node-engine.js';
import { startNatsServer, type NatsServer } from '../helpers/nats-server.js';
import { describeBrokerContract } from './broker-contract.js';
import { describeControlContract } from './control-contract.js';
import { describePresenceContract } from './presence-contract.js';
import { natsFactories } from './nats-engine-fixture.js';

// The engine contract on a real nats-server: PUB/SUB and control. NATS moves messages and keeps nothing, so the
// history, idempotency and delta cases are listed as not applicable and check the refusal instead, and so are
// the presence cases (a node on NATS keeps presence in its own memory, or in Redis with presence_manager).
let server: NatsServer;

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

const factories = natsFactories(() => server.url);
const keepsNothing = 'NATS moves messages and keeps nothing (as in Centrifugo, history and recovery need another broker)';
describeBrokerContract('nats', factories.broker, {
  history: keepsNothing,
  idempotency: 'no shared store remembers keys on NATS; the key is ignored, as by Centrifugo\'s NATS broker',
  delta: 'the previous publication comes from history, which NATS does not keep',
});
describeControlContract('nats', factories.control);
describePresenceContract('nats', {
  notApplicable: 'NATS keeps no presence; a node on engine.type nats keeps its own clients\' presence in memory (presence_manager.redis shares it)',
  async instead() {
    const { config } = loadConfig({ raw: { engine: { type: 'nats' }, broker: { nats: { url: server.url, prefix: `natspna${process.pid}` } } }, env: {} });
    const noCounts = { connections: () => 0, users: () => 0, subscriptions: () => 0, channels: () => 0 };
    const engine = await startEngine(config, { logger: pino({ level: 'silent' }), metrics: new Metrics(noCounts), clock: systemClock });
    try {
      expect(engine.presence).toBeInstanceOf(MemoryPresenceManager);
      expect(engine.controller).toBeDefined();
    } finally {
      await engine.close();
    }
  },
});

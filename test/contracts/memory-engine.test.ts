import { MemoryBroker } from '../../src/engine/memory/memory-broker.js';
import { MemoryPresenceManager } from '../../src/engine/memory/memory-presence.js';
import { ManualClock } from '../../src/timing/clock.js';
import pino from 'pino';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { Metrics } from '../../src/observability/metrics.js';
import { systemClock } from '../../src/timing/clock.js';
import { startEngine } from '../../node/server/node-engine.js';
import { describeBrokerContract } from './broker-contract.js';
import { describeControlContract } from './control-contract.js';
import { describePresenceContract } from './presence-contract.js';

// Each suite runs twice: once relying on lazy expiry when a channel is touched, once with a sweep after every
// clock move, so both expiry paths meet the same contract.
for (const swept of [false, true]) {
  const mode = swept ? 'memory, swept' : 'memory, lazy expiry';

  describeBrokerContract(mode, async () => {
    const clock = new ManualClock();
    const broker = new MemoryBroker({ clock, sweepIntervalMs: 0 });
    return {
      broker,
      advance: async (ms) => {
        clock.advance(ms);
        if (swept) broker.sweep();
      },
      cleanup: () => broker.close(),
    };
  });

  describePresenceContract(mode, async () => {
    const clock = new ManualClock();
    const presence = new MemoryPresenceManager({ clock, sweepIntervalMs: 0 });
    return {
      presence,
      advance: async (ms) => {
        clock.advance(ms);
        if (swept) presence.sweep();
      },
      cleanup: () => presence.close(),
    };
  });
}

describeControlContract('memory', {
  notApplicable: 'the memory engine is one process, a cluster of one node: there is no other node to reach',
  async instead() {
    const { config } = loadConfig({ raw: {}, env: {} });
    const noCounts = { connections: () => 0, users: () => 0, subscriptions: () => 0, channels: () => 0 };
    const engine = await startEngine(config, { logger: pino({ level: 'silent' }), metrics: new Metrics(noCounts), clock: systemClock });
    expect(engine.controller).toBeUndefined();
    await engine.close();
  },
});

import { afterEach, beforeEach, describe } from 'vitest';
import { brokerDeliveryCases } from './broker-delivery-cases.js';
import { brokerHistoryCases } from './broker-history-cases.js';
import { brokerIdempotencyCases } from './broker-idempotency-cases.js';
import { brokerLifetimeCases } from './broker-lifetime-cases.js';
import type { BrokerContext } from './broker-context.js';
import type { NotApplicable } from './broker-features.js';
import type { BrokerFactory, BrokerFixture } from './engine-fixture.js';
import { RecordingHandler } from './recording-handler.js';

/**
 * The behaviour every Broker implementation must have; run it once per engine. `notApplicable` names the
 * features the engine does not offer, with the reason: their cases stay listed and check the refusal instead.
 */
export function describeBrokerContract(name: string, factory: BrokerFactory, notApplicable: NotApplicable = {}): void {
  describe(`Broker contract: ${name}`, () => {
    let fixture: BrokerFixture | undefined;
    let context: BrokerContext | undefined;

    beforeEach(async () => {
      fixture = await factory();
      const handler = new RecordingHandler();
      await fixture.broker.run(handler);
      const current = fixture;
      context = {
        broker: current.broker,
        handler,
        advance: (ms) => current.advance(ms),
        unit: current.ttlUnitMs ?? 1000,
      };
    });

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
      context = undefined;
    });

    const get = (): BrokerContext => {
      if (!context) throw new Error('broker contract case ran outside its fixture');
      return context;
    };
    brokerDeliveryCases(get, notApplicable);
    brokerHistoryCases(get, notApplicable);
    brokerLifetimeCases(get, notApplicable);
    brokerIdempotencyCases(get, notApplicable);
  });
}

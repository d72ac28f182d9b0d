import pino from 'pino';
import { NatsEngine } from '../../src/engine/nats/nats-engine.js';
import type { BrokerFactory } from './engine-fixture.js';
import type { ControlFactory } from './control-contract.js';

let prefixes = 0;

/** A started NATS engine on `url` with its own subject prefix, so runs never hear each other. */
export async function startNatsEngine(url: string, prefix: string): Promise<NatsEngine> {
  const engine = new NatsEngine(
    {
      prefix,
      connection: { servers: [url], dialTimeoutMs: 2000, writeTimeoutMs: 4000, tls: undefined, name: prefix },
      startTimeoutMs: 10_000,
    },
    pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' }),
  );
  await engine.start();
  return engine;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function natsFactories(url: () => string): { broker: BrokerFactory; control: ControlFactory } {
  return {
    broker: async () => {
      const engine = await startNatsEngine(url(), `ringcast-test-${process.pid}-${++prefixes}`);
      return { broker: engine.broker, advance: sleep, ttlUnitMs: 1000, cleanup: () => engine.close() };
    },
    control: async () => {
      const prefix = `ringcast-test-${process.pid}-${++prefixes}`;
      const engines = [await startNatsEngine(url(), prefix), await startNatsEngine(url(), prefix)];
      return {
        controllers: [engines[0]!.control, engines[1]!.control],
        cleanup: async () => {
          await Promise.all(engines.map((e) => e.close()));
        },
      };
    },
  };
}

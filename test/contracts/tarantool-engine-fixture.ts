import pino from 'pino';
import { TarantoolEngine } from '../../src/engine/tarantool/tarantool-engine.js';
import { tarantoolTestPassword, tarantoolTestUser } from '../helpers/tarantool-server.js';
import type { ControlFactory } from './control-contract.js';
import type { BrokerFactory, PresenceFactory } from './engine-fixture.js';

/** A started Tarantool engine on the given instances (its Lua schema installed on each). */
export async function startTarantoolEngine(addresses: readonly string[]): Promise<TarantoolEngine> {
  const engine = new TarantoolEngine(
    {
      addresses: [...addresses],
      user: tarantoolTestUser,
      password: tarantoolTestPassword,
      timeouts: { connectMs: 2000, ioMs: 4000 },
      historyMetaTtlMs: 0,
      startTimeoutMs: 10_000,
    },
    pino({ level: process.env['RINGCAST_TEST_LOG'] ?? 'silent' }),
  );
  await engine.start();
  return engine;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Contract factories over real Tarantool: time is real, so `advance` sleeps (TTLs in ms, checked on read). */
export function tarantoolFactories(addresses: () => readonly string[]): {
  broker: BrokerFactory;
  presence: PresenceFactory;
  control: ControlFactory;
} {
  return {
    broker: async () => {
      const engine = await startTarantoolEngine(addresses());
      return { broker: engine.broker, advance: sleep, ttlUnitMs: 1000, cleanup: () => engine.close() };
    },
    presence: async () => {
      const engine = await startTarantoolEngine(addresses());
      return { presence: engine.presence, advance: sleep, ttlUnitMs: 1000, cleanup: () => engine.close() };
    },
    control: async () => {
      const engines = [await startTarantoolEngine(addresses()), await startTarantoolEngine(addresses())];
      return {
        controllers: [engines[0]!.control, engines[1]!.control],
        cleanup: async () => {
          await Promise.all(engines.map((e) => e.close()));
        },
      };
    },
  };
}

import type { Broker } from '../../src/engine/broker.js';
import type { PresenceManager } from '../../src/engine/presence-manager.js';

/**
 * How a contract suite drives time: a memory engine moves its ManualClock (and may sweep); an engine with real
 * time (Redis) sleeps. TTL tests use multiples of `ttlUnitMs`, so an engine sets it to its TTL resolution
 * (Redis EXPIRE works in seconds: 1000); the memory engine can use anything.
 */
export interface EngineTime {
  advance(ms: number): Promise<void>;
  /** Base TTL of expiry tests in ms (default 1000). Checks happen at ≤ 0.6 and ≥ 1.5 units past a deadline. */
  ttlUnitMs?: number;
}

export interface BrokerFixture extends EngineTime {
  /** A broker not yet running: the suite calls `run` with its recording handler. */
  broker: Broker;
  cleanup(): Promise<void>;
}

export interface PresenceFixture extends EngineTime {
  presence: PresenceManager;
  cleanup(): Promise<void>;
}

export type BrokerFactory = () => Promise<BrokerFixture>;
export type PresenceFactory = () => Promise<PresenceFixture>;

let sequence = 0;

/** A channel name no other test (or earlier run against a shared Redis) uses. */
export function uniqueChannel(prefix: string): string {
  sequence++;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(data: Uint8Array | undefined): string | undefined {
  return data === undefined ? undefined : decoder.decode(data);
}

import type { Histogram } from './histogram.js';
import type { RecoveryCounts } from './recovery-tracker.js';
import type { ClientSpec, OpenResult } from './subscriber-pool.js';

/** What a measurement reads from a set of subscribers, in-process or in a native helper process. */
export interface SubscriberSample {
  /** Deliveries counted since the start. */
  deliveries: number;
  /** Clients connected and subscribed now. */
  live: number;
  /** Server pings answered since the start. */
  pings: number;
  /** Delivery latency (µs) since the last reset. */
  latency: Histogram;
  /** CPU seconds used by helper processes together (0 when the subscribers live in this process). */
  helperCpuSeconds: number;
  /** How many helper processes share that CPU time (0 in-process). */
  helperProcesses: number;
}

/** Subscriber connections the scenarios drive: the in-process pool or the native helper. */
export interface Subscribers {
  readonly size: number;
  add(specs: readonly ClientSpec[]): Promise<void>;
  connect(from: number, to: number, timeoutMs: number): Promise<OpenResult>;
  sample(resetLatency: boolean): Promise<SubscriberSample>;
  closeAll(): Promise<void>;
  /** Drops every connection at once, the way a network failure does (no close frame). */
  dropAll(): Promise<void>;
  /** What recoverable clients saw when they resubscribed. */
  recovery(): Promise<RecoveryCounts>;
  /** Closes the server sent and errors seen, as short sentences. */
  problems(): Promise<string[]>;
}

import type { Histogram } from './histogram.js';
import type { RecoveryCounts } from './recovery-tracker.js';
import type { WsTarget } from './ws-connection.js';
import type { AuthMode } from './tokens.js';

/** One client: who it is and what it subscribes to (in the same frame as its connect command). */
export interface ClientSpec {
  user: string;
  channels: readonly string[];
  /** Subscribe as recoverable and, on every later connect, recover from the last position seen. */
  recoverable?: boolean;
}

export interface PoolOptions {
  target: WsTarget;
  auth: AuthMode;
  /** Connections being set up at once. */
  concurrency: number;
  /** Spread source addresses over 127.0.0.0/8 (loopback targets only). */
  spreadSources: boolean;
  /** Batch reads of ready clients every N ms (throughput runs); 0 reads at once. */
  readIntervalMs?: number;
}

export interface OpenResult {
  ready: number;
  failed: number;
  /** Still not ready when the deadline passed. */
  pending: number;
  seconds: number;
  /** Clients made ready per second over the whole batch. */
  ratePerSecond: number;
  /** Time from socket open to the last subscribe reply, per client, in µs. */
  setup: ReturnType<Histogram['summary']>;
}

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

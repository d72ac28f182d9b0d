import type { HistogramSnapshot } from './histogram.js';
import type { RecoveryCounts } from './recovery-tracker.js';
import type { OpenResult } from './subscribers.js';

/** Coordinator → subscriber worker. Plain data: it crosses the IPC channel as JSON. */
export type WorkerRequest =
  | { id: number; op: 'init'; options: unknown }
  | { id: number; op: 'add'; specs: unknown[] }
  | { id: number; op: 'connect'; from: number; to: number; timeoutMs: number }
  | { id: number; op: 'sample'; reset: boolean }
  | { id: number; op: 'problems' }
  | { id: number; op: 'close' }
  | { id: number; op: 'drop' }
  | { id: number; op: 'recovery' };

/** Subscriber worker → coordinator, one reply per request with the same id. */
export type WorkerReply =
  | { id: number; op: 'init' | 'add' | 'close' | 'drop' }
  | { id: number; op: 'recovery'; counts: RecoveryCounts }
  | { id: number; op: 'connect'; result: OpenResult }
  | { id: number; op: 'sample'; deliveries: number; live: number; pings: number; latency: HistogramSnapshot; cpuSeconds: number }
  | { id: number; op: 'problems'; problems: string[] }
  | { id: number; op: 'error'; message: string };

import type { Ring } from './ring.js';

/**
 * Where a node learns its ring: static from the config file, a file it watches, or its own RealtimeCluster's
 * `status.ring` in Kubernetes. The engine reads `current()` at start and swaps rings atomically on every change.
 */
export interface ShardSource {
  /**
   * Starts watching and resolves once a first ring is known. A source that has none yet (a RealtimeCluster
   * whose shards are not ready) keeps waiting; the node reports not-ready meanwhile.
   */
  start(): Promise<void>;
  /** The latest ring, or undefined before the first one arrived. */
  current(): Ring | undefined;
  /** Called with every new ring after `start` (never with an equal one); returns an unsubscribe function. */
  onChange(listener: (ring: Ring) => void): () => void;
  close(): Promise<void>;
}

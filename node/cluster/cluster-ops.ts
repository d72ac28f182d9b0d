import type { Bytes, StreamPosition } from '../../src/protocol/client-protocol.js';
import type { SubscribeOptions } from '../session/subscribe-options.js';

// The cluster contract and the plain data it carries. It names no session or hub type, so the node context
// that holds a ClusterOps does not import the session layer that uses the context.

/**
 * Which connections a user-level operation targets: a user's ("" = anonymous connections), narrowed to one
 * client and/or one session when those are set.
 */
export interface UserTarget {
  user: string;
  client: string;
  session: string;
}

/** A server-side subscription as the server API (or another node) asks for it: options already decided. */
export interface UserSubscribeRequest {
  options: SubscribeOptions;
  since: StreamPosition | undefined;
}

/** A connection refresh as the server API asks for it (Centrifugo's semantics, see `refreshLocal`). */
export interface UserRefreshRequest {
  expired: boolean;
  /** Unix seconds; 0 = the connection no longer expires. */
  expireAtSeconds: number;
  info: Bytes | undefined;
}

/** What the `connections` API reports for one connection. */
export interface ConnectionReport {
  app_name?: string;
  app_version?: string;
  transport: string;
  protocol: string;
  user: string;
  state: { channels: Record<string, { source: number }> };
  connected_at_ms: number;
}

/** One node of the cluster as `/api/info` lists it. */
export interface NodeSummary {
  uid: string;
  name: string;
  version: string;
  numClients: number;
  numUsers: number;
  numChannels: number;
  numSubs: number;
  uptime: number;
  /** Node data from its heartbeat (Ringcast nodes: process figures, see node-process-data.ts). */
  data?: Uint8Array;
}

/**
 * Operations that reach every node of the cluster (or, with the memory engine, just this one). Each applies
 * on this node at once and is sent to the others over the engine's control channel; it does not wait for them.
 */
export interface ClusterOps {
  /** This node first, then every other node heard from recently. */
  nodes(): NodeSummary[];
  /** Channels with subscribers on any node and their subscriber counts (`pattern`: Centrifugo glob). */
  channels(pattern: string): Promise<Record<string, number>>;
  disconnect(target: UserTarget, code: number, reason: string, whitelist: readonly string[]): Promise<void>;
  unsubscribe(target: UserTarget, channel: string): Promise<void>;
  subscribe(target: UserTarget, channel: string, request: UserSubscribeRequest): Promise<void>;
  refresh(target: UserTarget, request: UserRefreshRequest): Promise<void>;
  /** The connections of `user` on every node (client id → what the `connections` API reports). */
  connections(user: string): Promise<Record<string, ConnectionReport>>;
}

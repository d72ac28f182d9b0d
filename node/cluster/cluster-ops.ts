import type { ConnectionReport } from './connections-survey.js';
import type { UserRefreshRequest, UserSubscribeRequest } from './local-user-operations.js';

/**
 * Which connections a user-level operation targets: a user's ("" = anonymous connections), narrowed to one
 * client and/or one session when those are set.
 */
export interface UserTarget {
  user: string;
  client: string;
  session: string;
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

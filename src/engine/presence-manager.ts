import type { ClientInfo } from '../protocol/client-protocol.js';

export interface PresenceStats {
  numClients: number;
  /** Distinct user ids among the channel's clients (anonymous clients, user '', count as one user). */
  numUsers: number;
}

/**
 * Who is in a channel. Every entry carries a lifetime: the node re-adds its subscribers' entries periodically,
 * so entries of a crashed node or a lost connection disappear on their own once not refreshed within `ttlMs`.
 */
export interface PresenceManager {
  /** Adds or replaces (upsert) one client's entry, alive for `ttlMs` (> 0) from now. */
  addPresence(channel: string, clientId: string, info: ClientInfo, ttlMs: number): Promise<void>;
  /** Removes one client's entry; `user` lets engines that index by user keep that index right. */
  removePresence(channel: string, clientId: string, user: string): Promise<void>;
  /** Live entries by client id (empty when nobody is present). */
  presence(channel: string): Promise<Record<string, ClientInfo>>;
  presenceStats(channel: string): Promise<PresenceStats>;
  close(): Promise<void>;
}

import type { ClientInfo } from '../../protocol/client-protocol.js';
import { decodeClientInfoMessage, encodeClientInfoMessage } from '../../protocol/protobuf-publication.js';
import type { PresenceManager, PresenceStats } from '../presence-manager.js';
import type { ShardPicker } from './tarantool-broker.js';
import { decodePresenceEntries, decodePresenceStats } from './tarantool-replies.js';

/**
 * Presence in the `presence` space of the channel's shard: one tuple per client with its protobuf ClientInfo
 * and an expiry time; reads skip expired tuples and the shard's sweeper removes them.
 */
export class TarantoolPresenceManager implements PresenceManager {
  constructor(private readonly shards: ShardPicker) {}

  async addPresence(channel: string, clientId: string, info: ClientInfo, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) throw new RangeError(`presence ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
    await this.shards
      .shardFor(channel)
      .call('add_presence', [channel, Math.ceil(ttlMs), clientId, info.user, Buffer.from(encodeClientInfoMessage(info))]);
  }

  async removePresence(channel: string, clientId: string): Promise<void> {
    await this.shards.shardFor(channel).call('remove_presence', [channel, clientId]);
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    const entries = decodePresenceEntries(await this.shards.shardFor(channel).call('presence', [channel]));
    // fromEntries defines own properties, so a client id like "__proto__" stays a plain key.
    return Object.fromEntries(entries.map(([clientId, info]) => [clientId, decodeClientInfoMessage(info)]));
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    return decodePresenceStats(await this.shards.shardFor(channel).call('presence_stats', [channel]));
  }

  async close(): Promise<void> {
    // The shards belong to the engine.
  }
}

import type { ClientInfo } from '../../protocol/client-protocol.js';
import { decodeClientInfoMessage, encodeClientInfoMessage } from '../../protocol/protobuf-publication.js';
import type { PresenceManager, PresenceStats } from '../presence-manager.js';
import { asBuffer } from './as-buffer.js';
import { LuaScript } from './lua-script.js';
import { addPresenceLua, presenceLua, presenceStatsLua, removePresenceLua } from './redis-scripts.js';
import type { RedisRing } from './redis-ring.js';
import { RedisReplyError } from './redis-replies.js';

const addPresence = new LuaScript(addPresenceLua);
const removePresence = new LuaScript(removePresenceLua);
const readPresence = new LuaScript(presenceLua);
const readPresenceStats = new LuaScript(presenceStatsLua);

export interface RedisPresenceOptions {
  /**
   * Also keep Centrifugo's per-user index (`engine.redis.presence_user_mapping`), so presence stats are counted
   * in Redis instead of by reading every entry. Every node sharing the shards must agree on it.
   */
  userMapping: boolean;
}

/** Seconds since the epoch with millisecond precision, the unit of the expiry scores. */
function unixSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Presence on the channel's shard, in Centrifugo's layout: a hash client id → protobuf ClientInfo and a sorted
 * set client id → expiry time, trimmed on every read; whole keys expire when nobody refreshes them.
 */
export class RedisPresenceManager implements PresenceManager {
  constructor(
    private readonly ring: RedisRing,
    private readonly options: RedisPresenceOptions,
  ) {}

  private keysOf(channel: string) {
    const shard = this.ring.shardFor(channel);
    shard.ensureAvailable();
    const k = shard.keys;
    return {
      shard,
      keys: [k.presenceExpiry(channel), k.presenceData(channel), k.presenceUserExpiry(channel), k.presenceUserClients(channel)],
    };
  }

  async addPresence(channel: string, clientId: string, info: ClientInfo, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) throw new RangeError(`presence ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
    const { shard, keys } = this.keysOf(channel);
    const ttl = Math.ceil(ttlMs);
    await shard.counted(
      addPresence.run(shard.commands, keys, [
        ttl,
        unixSeconds(Date.now() + ttl),
        clientId,
        asBuffer(encodeClientInfoMessage(info)),
        info.user,
        this.options.userMapping ? '1' : '0',
      ]),
    );
  }

  async removePresence(channel: string, clientId: string, user: string): Promise<void> {
    const { shard, keys } = this.keysOf(channel);
    await shard.counted(
      removePresence.run(shard.commands, keys, [clientId, user, this.options.userMapping ? '1' : '0']),
    );
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    const { shard, keys } = this.keysOf(channel);
    const reply = await shard.counted(readPresence.run(shard.commands, keys.slice(0, 2), [unixSeconds(Date.now())]));
    if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new RedisReplyError('unexpected reply to a presence read');
    const entries: Array<[string, ClientInfo]> = [];
    for (let i = 0; i < reply.length; i += 2) {
      const clientId = Buffer.isBuffer(reply[i]) ? (reply[i] as Buffer).toString('utf8') : String(reply[i]);
      const value = reply[i + 1] as unknown;
      if (!Buffer.isBuffer(value)) throw new RedisReplyError('unexpected presence entry');
      entries.push([clientId, decodeClientInfoMessage(value)]);
    }
    // fromEntries defines own properties, so a client id like "__proto__" stays a plain key.
    return Object.fromEntries(entries);
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    if (this.options.userMapping) {
      const { shard, keys } = this.keysOf(channel);
      const reply = await shard.counted(readPresenceStats.run(shard.commands, keys, [unixSeconds(Date.now())]));
      if (!Array.isArray(reply) || reply.length !== 2) throw new RedisReplyError('unexpected reply to presence stats');
      return { numClients: Number(reply[0]), numUsers: Number(reply[1]) };
    }
    const entries = await this.presence(channel);
    const users = new Set<string>();
    let numClients = 0;
    for (const info of Object.values(entries)) {
      numClients++;
      users.add(info.user);
    }
    return { numClients, numUsers: users.size };
  }

  async close(): Promise<void> {
    // The ring (and its connections) belongs to the engine.
  }
}

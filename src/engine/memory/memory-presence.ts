import type { ClientInfo } from '../../protocol/client-protocol.js';
import { systemClock, type Clock } from '../../timing/clock.js';
import type { PresenceManager, PresenceStats } from '../presence-manager.js';
import { DeadlineQueue, type Expiring } from './deadline-queue.js';

class PresenceEntry implements Expiring {
  queuedAt = Infinity;
  constructor(
    readonly channel: string,
    readonly clientId: string,
    public info: ClientInfo,
    public expiresAt: number,
  ) {}
}

export interface MemoryPresenceOptions {
  clock?: Clock;
  /**
   * How often expired entries are swept on one unref'd interval, started by the first `addPresence`
   * (default 10 000 ms); 0 = no interval: the owner calls `sweep()`. Reads also expire a channel's entries.
   */
  sweepIntervalMs?: number;
}

/**
 * Presence in one process. Each entry lives `ttlMs` from its last add; one deadline queue expires them (no timer
 * per entry or channel), and a channel without entries is forgotten.
 */
export class MemoryPresenceManager implements PresenceManager {
  private readonly channels = new Map<string, Map<string, PresenceEntry>>();
  private readonly expiry = new DeadlineQueue<PresenceEntry>();
  private readonly clock: Clock;
  private readonly sweepIntervalMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemoryPresenceOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
  }

  /** Channels with at least one (possibly not yet swept) entry. */
  get channelCount(): number {
    return this.channels.size;
  }

  async addPresence(channel: string, clientId: string, info: ClientInfo, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) throw new RangeError(`presence ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
    const expiresAt = this.clock.now() + ttlMs;
    let entries = this.channels.get(channel);
    if (!entries) {
      entries = new Map();
      this.channels.set(channel, entries);
    }
    let entry = entries.get(clientId);
    if (entry) {
      entry.info = info;
      entry.expiresAt = expiresAt;
    } else {
      entry = new PresenceEntry(channel, clientId, info, expiresAt);
      entries.set(clientId, entry);
    }
    this.expiry.schedule(entry, expiresAt);
    this.startSweeper();
  }

  async removePresence(channel: string, clientId: string, _user: string): Promise<void> {
    const entries = this.channels.get(channel);
    if (!entries) return;
    entries.delete(clientId);
    if (entries.size === 0) this.channels.delete(channel);
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    const entries = this.liveEntries(channel);
    const result: Array<[string, ClientInfo]> = [];
    if (entries) for (const [clientId, entry] of entries) result.push([clientId, entry.info]);
    // fromEntries defines own properties, so a client id like "__proto__" stays a plain key.
    return Object.fromEntries(result);
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    const entries = this.liveEntries(channel);
    if (!entries) return { numClients: 0, numUsers: 0 };
    const users = new Set<string>();
    for (const entry of entries.values()) users.add(entry.info.user);
    return { numClients: entries.size, numUsers: users.size };
  }

  /** Removes every entry not refreshed within its ttl. */
  sweep(): void {
    const now = this.clock.now();
    for (let entry = this.expiry.popDue(now); entry; entry = this.expiry.popDue(now)) {
      const entries = this.channels.get(entry.channel);
      if (entries?.get(entry.clientId) !== entry) continue;
      if (entry.expiresAt <= now) this.delete(entries, entry);
      else this.expiry.schedule(entry, entry.expiresAt);
    }
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.channels.clear();
    this.expiry.clear();
  }

  /** The channel's entries after dropping expired ones; undefined when none are left. */
  private liveEntries(channel: string): Map<string, PresenceEntry> | undefined {
    const entries = this.channels.get(channel);
    if (!entries) return undefined;
    const now = this.clock.now();
    for (const entry of entries.values()) if (entry.expiresAt <= now) this.delete(entries, entry);
    return entries.size > 0 ? entries : undefined;
  }

  private delete(entries: Map<string, PresenceEntry>, entry: PresenceEntry): void {
    entries.delete(entry.clientId);
    if (entries.size === 0) this.channels.delete(entry.channel);
  }

  private startSweeper(): void {
    if (this.sweeper || this.sweepIntervalMs <= 0) return;
    this.sweeper = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.sweeper.unref();
  }
}

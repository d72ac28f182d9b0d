import type { Logger } from 'pino';
import { pingRedis } from './redis-ping.js';

export interface ExternalShardProberOptions {
  intervalMs: number;
  timeoutMs: number;
  logger: Logger;
  /** Called with the cluster keys whose shards changed readiness. */
  onChange(keys: string[]): void;
}

/**
 * Readiness of external Redis shards, which have no pods to watch: every interval each address a cluster names is
 * PINGed; a change of readiness requeues the clusters that use the address.
 */
export class ExternalShardProber {
  private readonly users = new Map<string, Set<string>>();
  private readonly results = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(private readonly options: ExternalShardProberOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.probeAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The cluster `key` uses these addresses (replacing what it used before); unknown ones are probed at once. */
  watch(key: string, addresses: readonly string[]): void {
    const fresh: string[] = [];
    for (const [address, keys] of this.users) {
      if (!addresses.includes(address)) {
        keys.delete(key);
        if (keys.size === 0) {
          this.users.delete(address);
          this.results.delete(address);
        }
      }
    }
    for (const address of addresses) {
      let keys = this.users.get(address);
      if (!keys) this.users.set(address, (keys = new Set()));
      keys.add(key);
      if (!this.results.has(address)) fresh.push(address);
    }
    if (fresh.length > 0) void this.probe(fresh);
  }

  unwatch(key: string): void {
    this.watch(key, []);
  }

  /** Last known readiness; undefined before the first probe answered. */
  ready(address: string): boolean | undefined {
    return this.results.get(address);
  }

  private async probeAll(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.probe([...this.users.keys()]);
    } finally {
      this.probing = false;
    }
  }

  private async probe(addresses: readonly string[]): Promise<void> {
    const changed = new Set<string>();
    await Promise.all(
      addresses.map(async (address) => {
        const ok = await pingRedis(address, this.options.timeoutMs);
        const before = this.results.get(address);
        if (!this.users.has(address)) return;
        this.results.set(address, ok);
        if (before !== ok) {
          this.options.logger.info({ address, ready: ok }, 'external shard readiness changed');
          for (const key of this.users.get(address) ?? []) changed.add(key);
        }
      }),
    );
    if (changed.size > 0) this.options.onChange([...changed]);
  }
}

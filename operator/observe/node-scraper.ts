import type { Logger } from 'pino';

export interface ScrapeTarget {
  /** Pod UID: counts belong to a pod incarnation, not to a name. */
  uid: string;
  name: string;
  /** Cluster key (namespace/name) the pod belongs to. */
  cluster: string;
  url: string;
}

export interface NodeScraperOptions {
  intervalMs: number;
  timeoutMs: number;
  logger: Logger;
  /** The node pods to scrape now (ready pods with an IP). */
  targets(): ScrapeTarget[];
  /** Called with the cluster keys whose connection counts changed. */
  onChange(clusters: string[]): void;
}

const CONNECTIONS_LINE = /^ringcast_node_connections(?:\{[^}]*\})?\s+([0-9.eE+-]+)/m;

/** Reads `ringcast_node_connections` from a node's Prometheus text; undefined when it is not there. */
export function parseConnections(text: string): number | undefined {
  const match = CONNECTIONS_LINE.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/**
 * Client connections per node pod, read from each node's own /metrics (so it works without Prometheus). Counts feed
 * status.connections and the pod-deletion-cost on scale-down.
 */
export class NodeScraper {
  private readonly counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private scraping = false;

  constructor(private readonly options: NodeScraperOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.scrapeAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The last count read from this pod. */
  connections(uid: string): number | undefined {
    return this.counts.get(uid);
  }

  /** Scrapes these pods now (a scale-down decision wants fresh numbers) and returns their counts. */
  async scrape(targets: readonly ScrapeTarget[]): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    await Promise.all(
      targets.map(async (target) => {
        out.set(target.uid, await this.fetchCount(target));
      }),
    );
    return out;
  }

  private async fetchCount(target: ScrapeTarget): Promise<number | undefined> {
    try {
      const response = await fetch(target.url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      if (!response.ok) return undefined;
      return parseConnections(await response.text());
    } catch {
      return undefined;
    }
  }

  private async scrapeAll(): Promise<void> {
    if (this.scraping) return;
    this.scraping = true;
    try {
      const targets = this.options.targets();
      const changed = new Set<string>();
      const alive = new Set(targets.map((t) => t.uid));
      for (const uid of [...this.counts.keys()]) if (!alive.has(uid)) this.counts.delete(uid);
      const results = await this.scrape(targets);
      for (const target of targets) {
        const count = results.get(target.uid);
        const before = this.counts.get(target.uid);
        if (count === undefined) {
          if (before !== undefined) {
            this.counts.delete(target.uid);
            changed.add(target.cluster);
          }
          continue;
        }
        if (count !== before) {
          this.counts.set(target.uid, count);
          changed.add(target.cluster);
        }
      }
      if (changed.size > 0) this.options.onChange([...changed]);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'scraping node connection counts failed');
    } finally {
      this.scraping = false;
    }
  }
}

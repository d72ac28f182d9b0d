import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from 'pino';
import type { Ring } from './ring.js';
import { nextRing, parseRingFile } from './ring-file.js';
import type { ShardSource } from './shard-source.js';

export interface FileShardSourceOptions {
  path: string;
  logger: Logger;
  /** How a shard without a name in the file is named. */
  defaultName: (address: string) => string;
  /** How often the file is checked for changes (stat polling survives editors and ConfigMap symlink swaps). */
  pollIntervalMs?: number;
}

/**
 * A ring read from a file and re-read whenever the file changes. A file that does not parse is reported and
 * ignored (the ring in use stays); `start` waits until the file holds a valid ring.
 */
export class FileShardSource implements ShardSource {
  private ring: Ring | undefined;
  private readonly listeners = new Set<(ring: Ring) => void>();
  private firstRing: (() => void) | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly onFileChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    this.reading = this.reading.then(() => this.read());
  };

  constructor(private readonly options: FileShardSourceOptions) {}

  async start(): Promise<void> {
    watchFile(this.options.path, { interval: this.options.pollIntervalMs ?? 1000, persistent: false }, this.onFileChange);
    await this.read();
    if (this.ring) return;
    this.options.logger.warn({ file: this.options.path }, 'waiting for the ring file to hold a valid ring');
    await new Promise<void>((resolve) => (this.firstRing = resolve));
  }

  current(): Ring | undefined {
    return this.ring;
  }

  onChange(listener: (ring: Ring) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    unwatchFile(this.options.path, this.onFileChange);
    this.listeners.clear();
  }

  private async read(): Promise<void> {
    const { path, logger } = this.options;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      logger.error({ file: path, err: (err as Error).message }, 'cannot read the ring file; keeping the ring in use');
      return;
    }
    let next: Ring | undefined;
    try {
      next = nextRing(this.ring, parseRingFile(text, this.options.defaultName));
    } catch (err) {
      logger.error({ file: path, err: (err as Error).message }, 'ignored an invalid ring file; keeping the ring in use');
      return;
    }
    if (!next) return;
    const first = this.ring === undefined;
    this.ring = next;
    logger.info({ file: path, version: next.version, shards: next.shards.map((s) => s.name) }, 'ring read from file');
    if (first) {
      this.firstRing?.();
      return;
    }
    for (const listener of this.listeners) listener(next);
  }
}

import type { Logger } from 'pino';
import { KubeApiError } from './kube-api-error.js';
import { METADATA_LIST, METADATA_OBJECT, type KubeClient, type Query } from './kube-client.js';
import { isKubeObject, objectKey, type KubeList, type KubeObject } from './kube-object.js';

// A list-then-watch cache of one collection, kept alive on its own: every failure (list error, watch error, the
// server ending the watch, a 410 "resource version too old", a watch that goes silent) leads back to a watch or
// a fresh list after a backoff, for as long as the informer runs. Handlers see every change exactly as the cache
// applies it; after a relist, objects that vanished meanwhile are reported as deleted.

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(obj: T, old: T): void;
  onDelete?(obj: T): void;
}

export type RestartReason = 'list-error' | 'watch-error' | 'expired' | 'watchdog' | 'closed';

export interface InformerOptions {
  client: KubeClient;
  /** Collection path, e.g. /apis/apps/v1/deployments or /api/v1/namespaces/x/pods. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger: Logger;
  /** Each watch asks the server to end it after a random time in this range (seconds); default 240–480. */
  watchTimeoutSeconds?: { min: number; max: number };
  /**
   * A watch still open this long after the timeout it asked for is considered dead (a silent connection) and is
   * abandoned for a fresh list. Default 30 s.
   */
  watchdogGraceMs?: number;
  /** Retry delays after failures (doubling, jittered); default 500 ms to 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Cache metadata only (PartialObjectMetadata): for Secrets, whose data the caller must not hold. */
  metadataOnly?: boolean;
  /** Start watching from this resource version instead of listing first (a caller resuming). */
  initialResourceVersion?: string;
  /** Called on every restart of the list/watch loop (for metrics). */
  onRestart?(reason: RestartReason): void;
  random?: () => number;
}

interface WatchEvent {
  type?: string;
  object?: unknown;
}

type WatchEnd = { kind: 'closed' } | { kind: 'expired' } | { kind: 'watchdog' } | { kind: 'error'; error: unknown };

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private resourceVersion = '';
  private running = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private sleepTimer: NodeJS.Timeout | undefined;
  private wakeSleep: (() => void) | undefined;

  constructor(private readonly options: InformerOptions) {
    this.resourceVersion = options.initialResourceVersion ?? '';
    if (this.resourceVersion) this.markSynced();
  }

  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has filled the cache. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((obj) => obj.metadata.namespace === namespace);
  }

  /**
   * Puts an object the caller just wrote (the API's answer) into the cache without telling the handlers, so the
   * caller's next look is not older than its own write; the watch event for that write then changes nothing.
   */
  upsert(obj: T): void {
    if (!isKubeObject(obj)) return;
    this.cache.set(objectKey(obj), obj);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wakeSleep?.();
    await this.loop;
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const waiter of this.syncWaiters.splice(0)) waiter();
  }

  private selectors(): Query {
    return { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector };
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    const backoff = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let failures = 0;
    while (this.running) {
      if (!this.resourceVersion) {
        try {
          await this.relist();
        } catch (error) {
          if (!this.running) break;
          failures++;
          this.options.onRestart?.('list-error');
          logger.warn({ err: error, path: this.options.path, failures }, 'list failed; retrying');
          await this.sleep(this.delay(backoff, failures));
          continue;
        }
      }
      const started = Date.now();
      const end = await this.watchOnce();
      if (!this.running) break;
      this.options.onRestart?.(end.kind === 'error' ? 'watch-error' : end.kind);
      switch (end.kind) {
        case 'closed':
          failures = 0;
          break;
        case 'expired':
          logger.info({ path: this.options.path }, 'watch expired (410); relisting');
          this.resourceVersion = '';
          break;
        case 'watchdog':
          logger.warn({ path: this.options.path }, 'watch went silent past its deadline; relisting');
          this.resourceVersion = '';
          break;
        case 'error':
          // A watch that ran a while before failing is a fresh failure, not the next in a series.
          if (Date.now() - started > 10_000) failures = 0;
          failures++;
          if (end.error instanceof KubeApiError && end.error.status === 410) this.resourceVersion = '';
          logger.warn({ err: end.error, path: this.options.path, failures }, 'watch failed; retrying');
          await this.sleep(this.delay(backoff, failures));
          break;
      }
    }
  }

  private delay(backoff: { initialMs: number; maxMs: number }, failures: number): number {
    const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures - 1, 20));
    return base / 2 + (this.options.random ?? Math.random)() * (base / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeSleep = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
    });
  }

  private async relist(): Promise<void> {
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.client.get<KubeList<unknown>>(
        this.options.path,
        { ...this.selectors(), limit: 500, continue: continueToken },
        this.options.metadataOnly ? METADATA_LIST : undefined,
      );
      for (const item of page.items ?? []) {
        if (isKubeObject(item)) seen.set(objectKey(item), item as T);
      }
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    for (const [key, obj] of seen) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('add', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    this.resourceVersion = resourceVersion;
    this.markSynced();
  }

  private watchOnce(): Promise<WatchEnd> {
    const range = this.options.watchTimeoutSeconds ?? { min: 240, max: 480 };
    const random = this.options.random ?? Math.random;
    const timeoutSeconds = Math.round(range.min + random() * (range.max - range.min));
    const abort = new AbortController();
    this.abort = abort;
    let expired = false;
    let watchdogFired = false;
    const watchdog = setTimeout(
      () => {
        watchdogFired = true;
        abort.abort();
      },
      timeoutSeconds * 1000 + (this.options.watchdogGraceMs ?? 30_000),
    );
    const query: Query = {
      ...this.selectors(),
      watch: true,
      allowWatchBookmarks: true,
      resourceVersion: this.resourceVersion,
      timeoutSeconds,
    };
    const onLine = (line: string): void => {
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        this.options.logger.warn({ path: this.options.path }, 'unparsable watch event skipped');
        return;
      }
      if (event.type === 'ERROR') {
        const status = event.object as { code?: number; message?: string } | undefined;
        if (status?.code === 410) expired = true;
        else this.options.logger.warn({ path: this.options.path, status }, 'watch error event');
        abort.abort();
        return;
      }
      if (!isKubeObject(event.object)) return;
      this.apply(event.type ?? '', event.object as T);
    };
    const accept = this.options.metadataOnly ? METADATA_OBJECT : undefined;
    return this.options.client.stream(this.options.path, query, onLine, abort.signal, accept).then(
      (): WatchEnd => {
        clearTimeout(watchdog);
        return expired ? { kind: 'expired' } : { kind: 'closed' };
      },
      (error: unknown): WatchEnd => {
        clearTimeout(watchdog);
        if (expired) return { kind: 'expired' };
        if (watchdogFired) return { kind: 'watchdog' };
        if (!this.running) return { kind: 'closed' };
        if (error instanceof KubeApiError && error.status === 410) return { kind: 'expired' };
        return { kind: 'error', error };
      },
    );
  }

  private apply(type: string, obj: T): void {
    const key = objectKey(obj);
    const rv = obj.metadata.resourceVersion ?? '';
    switch (type) {
      case 'ADDED':
      case 'MODIFIED': {
        const old = this.cache.get(key);
        this.cache.set(key, obj);
        if (!old) this.emit('add', obj);
        else if (old.metadata.resourceVersion !== rv) this.emit('update', obj, old);
        break;
      }
      case 'DELETED': {
        const old = this.cache.get(key);
        this.cache.delete(key);
        this.emit('delete', old ?? obj);
        break;
      }
      case 'BOOKMARK':
        break;
      default:
        return;
    }
    if (rv) this.resourceVersion = rv;
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const handlers of this.handlers) {
      try {
        if (kind === 'add') handlers.onAdd?.(obj);
        else if (kind === 'update') handlers.onUpdate?.(obj, old!);
        else handlers.onDelete?.(obj);
      } catch (error) {
        this.options.logger.error({ err: error, path: this.options.path }, 'informer handler threw');
      }
    }
  }
}

import type { Logger } from 'pino';
import { KubeApiError, isConflict, isNotFound } from '../../src/kube/kube-api-error.js';
import type { KubeClient } from '../../src/kube/kube-client.js';

// Lease-based leader election on coordination.k8s.io/v1, with client-go's rules: a candidate takes the lease only
// when its holder has not renewed it for a full lease duration as measured on the candidate's own clock (from when
// it last saw the lease change), every write is guarded by the lease's resourceVersion, and a leader that cannot
// renew within the renew deadline stops leading (the process exits, so two leaders never act at once).

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  logger: Logger;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Every time leadership is observed to change hands (for logs and metrics). */
  onNewLeader?(identity: string): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private stopped = false;
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private observedRecord = '';
  private observedAt = 0;
  private lastRenew = 0;
  private lastSeenHolder = '';

  constructor(private readonly options: LeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  private get path(): string {
    const { namespace, name } = this.options;
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(name)}`;
  }

  start(): void {
    void this.tick();
  }

  /** Stops electing; a leader gives the lease up so another candidate can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.leading) {
      this.leading = false;
      try {
        const lease = await this.options.client.get<Lease>(this.path);
        if (lease.spec.holderIdentity === this.options.identity) {
          const released: Lease = {
            ...lease,
            spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date()) },
          };
          await this.options.client.request('PUT', this.path, { body: released });
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not release the leader lease');
      }
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let acquired = false;
    try {
      acquired = await this.tryAcquireOrRenew();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'leader election: lease request failed');
    }
    if (this.stopped) return;
    const now = Date.now();
    if (acquired) {
      this.lastRenew = now;
      if (!this.leading) {
        this.leading = true;
        this.options.logger.info({ identity: this.options.identity, lease: this.options.name }, 'became the leader');
        this.options.onStartedLeading();
      }
    } else if (this.leading && now - this.lastRenew > this.options.renewDeadlineMs) {
      this.leading = false;
      this.stopped = true;
      this.options.logger.error({ identity: this.options.identity }, 'lost the leader lease (could not renew in time)');
      this.options.onStoppedLeading();
      return;
    }
    this.schedule(this.options.retryPeriodMs);
  }

  private leaseSpec(previous: LeaseSpec | undefined, now: Date): LeaseSpec {
    const holder = previous?.holderIdentity;
    const takingOver = holder !== this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
      acquireTime: takingOver || !previous?.acquireTime ? microTime(now) : previous.acquireTime,
      renewTime: microTime(now),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (takingOver && holder ? 1 : 0),
    };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.options;
    const now = new Date();
    let lease: Lease;
    try {
      lease = await client.get<Lease>(this.path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const created: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: this.leaseSpec(undefined, now),
      };
      try {
        await client.request('POST', `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`, { body: created });
      } catch (createError) {
        if (createError instanceof KubeApiError && createError.status === 409) return false;
        throw createError;
      }
      this.noteHolder(identity);
      return true;
    }
    const record = JSON.stringify(lease.spec);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = Date.now();
    }
    const holder = lease.spec.holderIdentity ?? '';
    this.noteHolder(holder);
    const durationMs = (lease.spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && holder !== identity && this.observedAt + durationMs > Date.now()) return false;
    const updated: Lease = { ...lease, spec: this.leaseSpec(lease.spec, now) };
    try {
      await client.request('PUT', this.path, { body: updated });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    this.noteHolder(identity);
    return true;
  }

  private noteHolder(holder: string): void {
    if (holder === this.lastSeenHolder) return;
    this.lastSeenHolder = holder;
    if (holder) this.options.onNewLeader?.(holder);
  }
}

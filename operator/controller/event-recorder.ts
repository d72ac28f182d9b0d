import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeClient } from '../../src/kube/kube-client.js';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
}

export type EventType = 'Normal' | 'Warning';

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Writes events.k8s.io/v1 Events about RealtimeClusters, for the decisions a person wants to see in `kubectl
 * describe` (a ring published, a child created, a bad config refused). The same event for the same object is
 * written once per `repeatAfterMs`, so a failure retried with backoff does not flood the namespace.
 */
export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
    private readonly reportingInstance: string,
    private readonly repeatAfterMs = 10 * 60_000,
  ) {}

  record(target: EventTarget, type: EventType, reason: string, action: string, note: string): void {
    const key = `${target.uid}\n${reason}\n${note}`;
    const now = Date.now();
    const last = this.recent.get(key);
    if (last !== undefined && now - last < this.repeatAfterMs) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) {
      for (const [k, at] of this.recent) if (now - at >= this.repeatAfterMs) this.recent.delete(k);
    }
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // client-go's naming: <object>.<unique hex> (a generateName prefix ending in "." is refused).
      metadata: { name: `${target.name}.${now.toString(16)}${randomBytes(4).toString('hex')}`, namespace: target.namespace },
      eventTime: microTime(new Date(now)),
      reportingController: 'ringcast.dev/operator',
      reportingInstance: this.reportingInstance,
      action,
      reason,
      note: note.slice(0, 1024),
      type,
      regarding: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.name,
        namespace: target.namespace,
        uid: target.uid,
      },
    };
    const path = `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(target.namespace)}/events`;
    this.client.request('POST', path, { body }).catch((error: unknown) => {
      this.logger.warn({ err: error, namespace: target.namespace, name: target.name, reason }, 'could not write event');
    });
  }
}

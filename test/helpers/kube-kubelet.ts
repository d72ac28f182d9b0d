// What a kubelet would write, for a control plane without one: pod status (Running, a pod IP, Ready or not),
// patched through the pods/status subresource like the kubelet's status manager does.
import type { KubeClient } from '../../src/kube/kube-client.js';

export interface PodStatusOptions {
  ready: boolean;
  /** The pod's IP; tests point it at a loopback address where a real process listens (or nothing does). */
  podIP?: string;
}

export async function setPodStatus(client: KubeClient, namespace: string, name: string, options: PodStatusOptions): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = options.ready ? 'True' : 'False';
  const ip = options.podIP ?? '127.0.0.1';
  await client.mergePatch(`/api/v1/namespaces/${namespace}/pods/${name}/status`, {
    status: {
      phase: 'Running',
      hostIP: '127.0.0.1',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status, lastTransitionTime: now },
        { type: 'Ready', status, lastTransitionTime: now },
      ],
    },
  });
}

interface PodList {
  items: { metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> }; status?: { conditions?: { type: string; status: string }[] } }[];
}

/** Names of the live (not deleting) pods matching a label selector, sorted. */
export async function podNames(client: KubeClient, namespace: string, labelSelector: string): Promise<string[]> {
  const list = await client.get<PodList>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector });
  return list.items.filter((pod) => !pod.metadata.deletionTimestamp).map((pod) => pod.metadata.name).sort();
}

interface LivePod {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

export interface FakeKubelet {
  /** Pods it has marked ready so far (names). */
  readonly marked: ReadonlySet<string>;
  stop(): Promise<void>;
}

/**
 * Plays the kubelet for a namespace: every pod matching `labelSelector` that `ready(pod)` accepts is reported
 * Running and Ready (once; a steady state writes nothing), with the IP `podIP(pod)` gives (default: an address in
 * 127.77.0.0/16 where nothing listens). Polls every 250 ms until stopped.
 */
export function startFakeKubelet(
  client: KubeClient,
  namespace: string,
  options: { labelSelector: string; ready?: (name: string) => boolean; podIP?: (name: string) => string },
): FakeKubelet {
  const marked = new Set<string>();
  let stopped = false;
  let counter = 0;
  const ips = new Map<string, string>();
  const ipFor = (name: string): string => {
    if (options.podIP) return options.podIP(name);
    let ip = ips.get(name);
    if (!ip) {
      counter++;
      ip = `127.77.${Math.floor(counter / 250)}.${(counter % 250) + 1}`;
      ips.set(name, ip);
    }
    return ip;
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        const list = await client.get<{ items: LivePod[] }>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: options.labelSelector });
        for (const pod of list.items) {
          const name = pod.metadata.name;
          if (pod.metadata.deletionTimestamp) continue;
          const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
          if (isReady || !(options.ready?.(name) ?? true)) continue;
          await setPodStatus(client, namespace, name, { ready: true, podIP: ipFor(name) });
          marked.add(name);
        }
      } catch {
        // a pod deleted between list and patch; the next round sees the truth
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    marked,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

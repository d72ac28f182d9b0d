// Prometheus' Kubernetes pod discovery, as a file SD file. Debian's Prometheus is built without the Kubernetes
// discovery (its client libraries are not packaged), so this lists the pods from the real API server every second
// and hands Prometheus (file SD) one target per container port with the same __meta_kubernetes_pod_* labels its
// `role: pod` discovery sets; the PodMonitor's relabelling then runs in Prometheus unchanged.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { KubeClient } from '../../src/kube/kube-client.js';

interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; uid: string };
  spec: { nodeName?: string; containers: { name: string; image?: string; ports?: { name?: string; containerPort: number; protocol?: string }[] }[] };
  status?: { phase?: string; podIP?: string; hostIP?: string; conditions?: { type: string; status: string }[] };
}

const sanitize = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** The target groups Prometheus' kubernetes_sd `role: pod` would produce for these pods. */
export function podTargetGroups(pods: readonly Pod[]): { targets: string[]; labels: Record<string, string> }[] {
  const groups: { targets: string[]; labels: Record<string, string> }[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip) continue;
    const common: Record<string, string> = {
      __meta_kubernetes_namespace: pod.metadata.namespace,
      __meta_kubernetes_pod_name: pod.metadata.name,
      __meta_kubernetes_pod_ip: ip,
      __meta_kubernetes_pod_uid: pod.metadata.uid,
      __meta_kubernetes_pod_phase: pod.status?.phase ?? '',
      __meta_kubernetes_pod_ready: String(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false),
      __meta_kubernetes_pod_node_name: pod.spec.nodeName ?? '',
    };
    for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
      common[`__meta_kubernetes_pod_label_${sanitize(key)}`] = value;
      common[`__meta_kubernetes_pod_labelpresent_${sanitize(key)}`] = 'true';
    }
    for (const [key, value] of Object.entries(pod.metadata.annotations ?? {})) {
      common[`__meta_kubernetes_pod_annotation_${sanitize(key)}`] = value;
      common[`__meta_kubernetes_pod_annotationpresent_${sanitize(key)}`] = 'true';
    }
    for (const container of pod.spec.containers) {
      for (const port of container.ports ?? []) {
        groups.push({
          targets: [`${ip}:${port.containerPort}`],
          labels: {
            ...common,
            __meta_kubernetes_pod_container_name: container.name,
            __meta_kubernetes_pod_container_image: container.image ?? '',
            __meta_kubernetes_pod_container_port_name: port.name ?? '',
            __meta_kubernetes_pod_container_port_number: String(port.containerPort),
            __meta_kubernetes_pod_container_port_protocol: port.protocol ?? 'TCP',
          },
        });
      }
    }
  }
  return groups;
}

export interface PodDiscovery {
  /** The file_sd_configs file listing the pods of the namespaces (rewritten every second). */
  readonly file: string;
  close(): Promise<void>;
}

/**
 * Lists the pods of `namespaces` every second and writes their targets to a file_sd file (atomically, through a
 * rename). A file rather than HTTP SD so a Prometheus in another network namespace (the real-pods cluster's)
 * reads it too.
 */
export async function startPodDiscovery(client: KubeClient, namespaces: readonly string[], dir: string): Promise<PodDiscovery> {
  const file = join(dir, 'pods.json');
  const write = async (): Promise<void> => {
    const lists = await Promise.all(namespaces.map((ns) => client.get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods`)));
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(podTargetGroups(lists.flatMap((list) => list.items))));
    await rename(tmp, file);
  };
  await write();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (!stopped) await write().catch(() => undefined);
    }
  })();
  return {
    file,
    close: async () => {
      stopped = true;
      await loop;
    },
  };
}

// A kubelet that runs pods as plain processes, for a control plane without nodes: each pod of a Deployment the
// operator made is started as `ringcast <container args>` from the sources, with the pod's environment resolved
// the way the kubelet resolves it (values, fieldRefs, Secret and ConfigMap keys), its ConfigMap volumes written to
// a directory, the node ServiceAccount's kubeconfig in place of the in-cluster token, and its own loopback address
// as the pod IP. Its readiness probe is run against the process and reported on the pod's status; a deleted pod
// gets the preStop sleep, then SIGTERM, then SIGKILL after the grace period, as on a real node.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { KubeClient } from '../../src/kube/kube-client.js';
import { setPodStatus } from './kube-kubelet.js';
import { spawnManaged, type ManagedProcess } from './kube-process.js';
import { cliEntry } from './operator-process.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

interface PodObject {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string };
  spec: {
    terminationGracePeriodSeconds?: number;
    containers: {
      args?: string[];
      env?: EnvVar[];
      ports?: { name?: string; containerPort: number }[];
      readinessProbe?: { httpGet?: { path: string } };
      lifecycle?: { preStop?: { sleep?: { seconds: number } } };
      volumeMounts?: { name: string; mountPath: string }[];
    }[];
    volumes?: { name: string; configMap?: { name: string } }[];
  };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface RunningPod {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** When the pod was seen deleted and when its process got SIGTERM (after the preStop sleep). */
  deletedAt?: number;
  terminatedAt?: number;
  exitedAt?: number;
}

export interface ProcessKubeletOptions {
  client: KubeClient;
  namespace: string;
  labelSelector: string;
  /** Kubeconfig YAML of the pods' ServiceAccount (stands in for the mounted token). */
  serviceAccountKubeconfig: () => string;
  /** The loopback address a pod gets as its IP. */
  ipFor: (podName: string) => string;
  /** Extra environment (e.g. RINGCAST_LOG_LEVEL). */
  env?: Record<string, string>;
}

export interface ProcessKubelet {
  readonly pods: ReadonlyMap<string, RunningPod>;
  /** Whether new pods are started (false: like a node without room, new pods stay pending). */
  admitNew: boolean;
  /** Pods whose readiness probe passed last time. */
  readonly ready: ReadonlySet<string>;
  stop(): Promise<void>;
}

async function secretValue(client: KubeClient, namespace: string, name: string, key: string): Promise<string> {
  const secret = await client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${name}`);
  const value = secret.data?.[key];
  if (value === undefined) throw new Error(`Secret ${name} has no key ${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

async function configMapData(client: KubeClient, namespace: string, name: string): Promise<Record<string, string>> {
  return (await client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/configmaps/${name}`)).data ?? {};
}

export function startProcessKubelet(options: ProcessKubeletOptions): ProcessKubelet {
  const { client, namespace } = options;
  const pods = new Map<string, RunningPod>();
  const readiness = new Map<string, boolean>();
  const readySet = new Set<string>();
  const state = { admitNew: true };
  const root = mkdtempSync(join(tmpdir(), 'ringcast-pods-'));
  let stopped = false;

  const launch = async (pod: PodObject): Promise<void> => {
    const container = pod.spec.containers[0]!;
    const dir = join(root, pod.metadata.name);
    mkdirSync(dir, { recursive: true });
    const ip = options.ipFor(pod.metadata.name);
    const port = container.ports?.[0]?.containerPort ?? 8000;
    const env: Record<string, string> = {};
    for (const variable of container.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      const from = variable.valueFrom;
      if (from?.fieldRef) {
        const field = from.fieldRef.fieldPath;
        env[variable.name] = field === 'metadata.name' ? pod.metadata.name : field === 'metadata.namespace' ? namespace : field === 'status.podIP' ? ip : '';
      } else if (from?.secretKeyRef) {
        env[variable.name] = await secretValue(client, namespace, from.secretKeyRef.name, from.secretKeyRef.key);
      } else if (from?.configMapKeyRef) {
        env[variable.name] = (await configMapData(client, namespace, from.configMapKeyRef.name))[from.configMapKeyRef.key] ?? '';
      }
    }
    // ConfigMap volumes become directories; arguments that point into a mount point into the directory.
    let args = container.args ?? [];
    for (const mount of container.volumeMounts ?? []) {
      const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
      if (!volume?.configMap) continue;
      const target = join(dir, mount.name);
      mkdirSync(target, { recursive: true });
      for (const [key, value] of Object.entries(await configMapData(client, namespace, volume.configMap.name))) {
        writeFileSync(join(target, key), value);
      }
      args = args.map((arg) => (arg.startsWith(`${mount.mountPath}/`) ? join(target, arg.slice(mount.mountPath.length + 1)) : arg));
    }
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, options.serviceAccountKubeconfig(), { mode: 0o600 });
    const processEnv: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      ...env,
      ...options.env,
      // What the pod's network namespace and mounted token would give it.
      RINGCAST_HTTP_SERVER_ADDRESS: ip,
      RINGCAST_KUBERNETES_KUBECONFIG: kubeconfig,
    };
    const proc = spawnManaged(`pod ${pod.metadata.name}`, process.execPath, ['--import', 'tsx', cliEntry, ...args], {
      logPath: join(dir, 'node.log'),
      env: processEnv,
      orphanCleanupDir: dir,
    });
    const running: RunningPod = { name: pod.metadata.name, ip, port, process: proc };
    pods.set(pod.metadata.name, running);
    void (async () => {
      const path = container.readinessProbe?.httpGet?.path ?? '/health';
      while (!stopped && !running.deletedAt && !proc.exitInfo) {
        let ready = false;
        try {
          ready = (await fetch(`http://${ip}:${port}${path}`, { signal: AbortSignal.timeout(1_000) })).ok;
        } catch {
          ready = false;
        }
        if (ready) readySet.add(pod.metadata.name);
        else readySet.delete(pod.metadata.name);
        if (readiness.get(pod.metadata.name) !== ready && !running.deletedAt) {
          readiness.set(pod.metadata.name, ready);
          await setPodStatus(client, namespace, pod.metadata.name, { ready, podIP: ip }).catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
  };

  const terminate = async (running: RunningPod, pod: PodObject | undefined): Promise<void> => {
    running.deletedAt = Date.now();
    readySet.delete(running.name);
    const container = pod?.spec.containers[0];
    const preStop = container?.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = pod?.spec.terminationGracePeriodSeconds ?? 30;
    await new Promise((resolve) => setTimeout(resolve, preStop * 1000));
    running.terminatedAt = Date.now();
    await running.process.stop(Math.max(1, grace - preStop) * 1000);
    running.exitedAt = Date.now();
  };

  const specs = new Map<string, PodObject>();
  const loop = (async () => {
    while (!stopped) {
      try {
        const list = await client.get<{ items: PodObject[] }>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: options.labelSelector });
        const present = new Set<string>();
        for (const pod of list.items) {
          present.add(pod.metadata.name);
          specs.set(pod.metadata.name, pod);
          const running = pods.get(pod.metadata.name);
          if (pod.metadata.deletionTimestamp) {
            if (running && !running.deletedAt) void terminate(running, pod);
          } else if (!running && state.admitNew) {
            await launch(pod);
          }
        }
        for (const [name, running] of pods) {
          if (!present.has(name) && !running.deletedAt) void terminate(running, specs.get(name));
        }
      } catch {
        // the next round sees the truth
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  return {
    pods,
    ready: readySet,
    get admitNew() {
      return state.admitNew;
    },
    set admitNew(value: boolean) {
      state.admitNew = value;
    },
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([...pods.values()].map((pod) => pod.process.stop(2_000)));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// What a failed real-pods test leaves behind: for each namespace the test used, the pods (as the API
// returns them), every container's log (and the previous container's, after a restart), the events and
// the workloads; the node; and copies of the daemons' logs (kubelet, containerd, API server, ...).
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';

async function attempt<T>(what: string, errors: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function podLogs(core: CoreV1Api, pod: V1Pod, dir: string, errors: string[]): Promise<void> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  for (const container of containers) {
    for (const previous of [false, true]) {
      const log = await attempt(`logs ${name}/${container}${previous ? ' (previous)' : ''}`, previous ? [] : errors, () =>
        core.readNamespacedPodLog({ namespace, name, container, previous, timestamps: true }),
      );
      if (log !== undefined) await writeFile(join(dir, `${name}.${container}${previous ? '.previous' : ''}.log`), log);
    }
  }
}

async function namespaceDiagnostics(kc: KubeConfig, namespace: string, dir: string, errors: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const pods = await attempt(`pods in ${namespace}`, errors, () => core.listNamespacedPod({ namespace }));
  if (pods) {
    await writeFile(join(dir, 'pods.yaml'), stringify(pods.items));
    for (const pod of pods.items) await podLogs(core, pod, dir, errors);
  }
  const events = await attempt(`events in ${namespace}`, errors, () => core.listNamespacedEvent({ namespace }));
  if (events) {
    const lines = events.items
      .map((e) => ({ at: String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? ''), e }))
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(({ at, e }) => `${at} ${e.type ?? ''} ${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''} ${e.reason ?? ''}: ${e.message ?? ''} (x${e.count ?? 1})`);
    await writeFile(join(dir, 'events.txt'), `${lines.join('\n')}\n`);
  }
  const workloads = {
    deployments: await attempt('deployments', errors, async () => (await apps.listNamespacedDeployment({ namespace })).items),
    statefulSets: await attempt('statefulsets', errors, async () => (await apps.listNamespacedStatefulSet({ namespace })).items),
    services: await attempt('services', errors, async () => (await core.listNamespacedService({ namespace })).items),
    endpointSlices: await attempt('endpointslices', errors, async () =>
      (await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace })).items,
    ),
  };
  await writeFile(join(dir, 'workloads.yaml'), stringify(workloads));
}

/** Writes everything into `dir` and returns it; problems collecting are listed in `dir/collect-errors.txt`. */
export async function collectDiagnostics(
  kc: KubeConfig,
  options: { dir: string; namespaces: readonly string[]; daemonLogsDir?: string | undefined },
): Promise<string> {
  const errors: string[] = [];
  await mkdir(options.dir, { recursive: true });
  for (const namespace of options.namespaces) await namespaceDiagnostics(kc, namespace, join(options.dir, namespace), errors);
  const nodes = await attempt('nodes', errors, () => kc.makeApiClient(CoreV1Api).listNode());
  if (nodes) await writeFile(join(options.dir, 'nodes.yaml'), stringify(nodes.items));
  if (options.daemonLogsDir) {
    const target = join(options.dir, 'daemons');
    await mkdir(target, { recursive: true });
    const files = (await attempt('daemon logs', errors, () => readdir(options.daemonLogsDir ?? ''))) ?? [];
    for (const file of files) await attempt(`copy ${file}`, errors, () => copyFile(join(options.daemonLogsDir ?? '', file), join(target, file)));
  }
  if (errors.length > 0) await writeFile(join(options.dir, 'collect-errors.txt'), `${errors.join('\n')}\n`);
  return options.dir;
}

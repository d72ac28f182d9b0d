// For test files of the `pods` project: the cluster pods-global-setup.ts started, a namespace per test
// file that is ready for pods, and diagnostics kept when a test fails.
import { resolve } from 'node:path';

import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, inject } from 'vitest';

import { createTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { collectDiagnostics } from './cluster-diagnostics.js';
import type { PodsClusterInfo } from './pods-cluster-info.js';

export function podsCluster(): PodsClusterInfo {
  return inject('podsCluster');
}

export function podsAdminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(podsCluster().adminKubeconfigPath);
  return kc;
}

/** A fresh namespace whose `default` ServiceAccount exists (pods created before it are rejected). */
export async function createPodsNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const namespace = await createTestNamespace(kc, prefix);
  const core = kc.makeApiClient(CoreV1Api);
  await pollUntil(async () => ((await core.readNamespacedServiceAccount({ namespace, name: 'default' })) ? true : undefined), {
    what: `ServiceAccount ${namespace}/default`,
    timeoutMs: 60_000,
  });
  return namespace;
}

const FAILURES_DIR = resolve('.cache/pods-failures');

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/**
 * After each failed test: pod logs, events, workloads of `namespaces()` and the daemons' logs go to
 * .cache/pods-failures/<time>-<test>/, and the failure message names that folder.
 */
export function keepDiagnosticsOnFailure(kc: () => KubeConfig, namespaces: () => readonly string[]): void {
  afterEach(async (context) => {
    const result = context.task.result;
    if (result?.state !== 'fail') return;
    const dir = resolve(FAILURES_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${slug(context.task.name)}`);
    await collectDiagnostics(kc(), { dir, namespaces: namespaces(), daemonLogsDir: podsCluster().logsDir });
    const note = `pod logs, events and kubelet/containerd logs of this failure: ${dir}`;
    console.error(note);
    for (const error of result.errors ?? []) error.message = `${error.message}\n${note}`;
  }, 120_000);
}

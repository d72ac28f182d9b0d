// What an operator e2e test file sets up: the CRD (shared by the run; applying it again changes nothing), a
// namespace of its own, the operator's ServiceAccount and RBAC, and operator processes running as that account.
import { readFileSync } from 'node:fs';

import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

import { KubeClient } from '../../src/kube/kube-client.js';
import { realtimeClustersPath } from '../../src/kube/realtime-cluster-api.js';
import type { RealtimeClusterObject } from '../../src/kube/realtime-cluster.js';
import { crdFile } from './crd-file.js';
import { createTestNamespace, deleteTestNamespace } from './kube-namespace.js';
import { pollUntil } from './kube-poll.js';
import { mintServiceAccountKubeconfig } from './kube-service-account.js';
import { installOperatorRbac, removeOperatorRbac } from './operator-rbac.js';
import { startOperatorProcess, type OperatorProcess } from './operator-process.js';

export const WAIT_MS = 60_000;

export async function installCrd(client: KubeClient): Promise<void> {
  const crd = parse(readFileSync(crdFile, 'utf8')) as { metadata: { name: string } };
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
  await client.apply(path, crd, 'ringcast-e2e');
  await pollUntil(
    async () => {
      const live = await client.get<{ status?: { conditions?: { type: string; status: string }[] } }>(path);
      return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    },
    { what: 'RealtimeCluster CRD established', timeoutMs: WAIT_MS },
  );
  // Established comes before the resource's storage is ready; wait until a list answers.
  await pollUntil(async () => client.get(realtimeClustersPath('default')), { what: 'realtimeclusters served', timeoutMs: WAIT_MS });
}

export interface OperatorEnv {
  admin: KubeConfig;
  client: KubeClient;
  namespace: string;
  operatorKubeconfig: string;
  operators: OperatorProcess[];
  startOperator(identity: string, args?: string[], env?: Record<string, string>): OperatorProcess;
  cleanup(): Promise<void>;
}

/** Fast timings for tests: short resync and scrape intervals, quick watch renewal. */
export const fastOperatorArgs = ['--resync', '2s', '--scrape-interval', '1s', '--probe-interval', '1s'];

export async function setUpOperatorEnv(admin: KubeConfig, prefix: string): Promise<OperatorEnv> {
  const client = new KubeClient(admin);
  await installCrd(client);
  const namespace = await createTestNamespace(admin, prefix);
  await installOperatorRbac(admin, namespace);
  const { yaml } = await mintServiceAccountKubeconfig(admin, { namespace, serviceAccount: 'ringcast-operator' });
  const operators: OperatorProcess[] = [];
  return {
    admin,
    client,
    namespace,
    operatorKubeconfig: yaml,
    operators,
    startOperator(identity, args = fastOperatorArgs, env = {}) {
      const operator = startOperatorProcess({ kubeconfigYaml: yaml, namespace, identity, args, env });
      operators.push(operator);
      return operator;
    },
    async cleanup() {
      await Promise.all(operators.map((operator) => operator.stop()));
      await deleteTestNamespace(admin, namespace);
      await removeOperatorRbac(admin, namespace);
    },
  };
}

export function clusterPath(namespace: string, name: string): string {
  return `${realtimeClustersPath(namespace)}/${name}`;
}

export function getCluster(client: KubeClient, namespace: string, name: string): Promise<RealtimeClusterObject> {
  return client.get<RealtimeClusterObject>(clusterPath(namespace, name));
}

/** Polls the cluster until `check` returns a value. */
export function waitForCluster<T>(
  client: KubeClient,
  namespace: string,
  name: string,
  what: string,
  check: (cluster: RealtimeClusterObject) => T | undefined,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return pollUntil(async () => check(await getCluster(client, namespace, name)), { what, timeoutMs, intervalMs: 200 });
}

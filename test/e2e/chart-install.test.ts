// The chart installed with the real helm on the control plane: the operator runs with exactly what the chart
// gives it (its ServiceAccount's token, the chart's ClusterRole and Lease Role, the Deployment's arguments), takes
// the chart's Lease, and turns the RealtimeCluster from values into a Ready cluster (pods reported by a stand-in
// kubelet: the real-pods layer runs them for real). `helm uninstall` then leaves only what the user keeps: the
// Redis volume claims and the CRD (Helm never deletes a chart's CRDs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KubeClient } from '../../src/kube/kube-client.js';
import { chartDir, findManifest, helm, parseManifests } from '../helpers/helm.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/kube-kubelet.js';
import { createTestNamespace, deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { mintServiceAccountKubeconfig } from '../helpers/kube-service-account.js';
import { adminKubeConfig, adminKubeconfigPath } from '../helpers/kube-test-context.js';
import { WAIT_MS } from '../helpers/operator-env.js';
import { startOperatorProcess, type OperatorProcess } from '../helpers/operator-process.js';

const RELEASE = 'rc';
const CLUSTER = 'chat';

/** Every namespaced object kind a release or a RealtimeCluster can leave behind. */
const NAMESPACED = [
  '/api/v1/namespaces/NS/configmaps',
  '/api/v1/namespaces/NS/secrets',
  '/api/v1/namespaces/NS/services',
  '/api/v1/namespaces/NS/serviceaccounts',
  '/api/v1/namespaces/NS/pods',
  '/api/v1/namespaces/NS/persistentvolumeclaims',
  '/apis/apps/v1/namespaces/NS/deployments',
  '/apis/apps/v1/namespaces/NS/statefulsets',
  '/apis/apps/v1/namespaces/NS/replicasets',
  '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
  '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
  '/apis/coordination.k8s.io/v1/namespaces/NS/leases',
  '/apis/ringcast.dev/v1alpha1/namespaces/NS/realtimeclusters',
];

describe('helm install and uninstall on the control plane', () => {
  const admin = adminKubeConfig();
  const client = new KubeClient(admin);
  let namespace: string;
  let dir: string;
  let operator: OperatorProcess | undefined;
  let kubelet: FakeKubelet | undefined;
  let installed = false;

  const everything = async (): Promise<string[]> => {
    const names: string[] = [];
    for (const path of NAMESPACED) {
      const list = await client.get<{ items: { metadata: { name: string } }[] }>(path.replace('NS', namespace));
      const kind = path.split('/').at(-1);
      for (const item of list.items) names.push(`${kind}/${item.metadata.name}`);
    }
    return names.sort();
  };

  beforeAll(async () => {
    namespace = await createTestNamespace(admin, 'chart-install');
    dir = mkdtempSync(join(tmpdir(), 'ringcast-chart-'));
  });

  afterAll(async () => {
    await operator?.stop();
    await kubelet?.stop();
    if (installed) await helm(['uninstall', RELEASE, '--namespace', namespace], { kubeconfig: adminKubeconfigPath() });
    await deleteTestNamespace(admin, namespace);
    await client.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${namespace}-${RELEASE}-ringcast-operator`).catch(() => undefined);
    await client.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${namespace}-${RELEASE}-ringcast-operator`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs, runs the RealtimeCluster from values with the chart’s permissions, and uninstalls cleanly', async () => {
    const values = join(dir, 'values.yaml');
    writeFileSync(
      values,
      JSON.stringify({
        image: { repository: 'images.invalid/ringcast', tag: 'dev' },
        cluster: {
          name: CLUSTER,
          spec: {
            nodes: { replicas: 2 },
            redis: { managed: { shards: 1, persistence: { enabled: true, size: '1Gi' } } },
            autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4, targetConnectionsPerNode: 1000 },
          },
        },
      }),
    );
    const install = await helm(['install', RELEASE, chartDir, '--namespace', namespace, '-f', values], { kubeconfig: adminKubeconfigPath() });
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    installed = true;
    expect(install.stdout).toContain('STATUS: deployed');
    expect(install.stdout).toContain(`kubectl -n ${namespace} wait rtc/${CLUSTER} --for=condition=Ready --timeout=5m`);
    expect(install.stdout).toContain(`ws://${CLUSTER}.${namespace}.svc:8000/connection/websocket`);
    await client.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/realtimeclusters.ringcast.dev');

    // The operator as the Deployment runs it: the release's ServiceAccount and the container's arguments (the
    // kubelet's $(VAR) expansion done here; the ops port moved off 8080; one namespace, as the shared control plane
    // runs other tests' clusters).
    const manifest = await helm(['get', 'manifest', RELEASE, '--namespace', namespace], { kubeconfig: adminKubeconfigPath() });
    const deployment = findManifest(parseManifests(manifest.stdout), 'Deployment', `${RELEASE}-ringcast-operator`);
    const container = (deployment['spec'] as { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } }).template.spec;
    const args = (container.containers[0]?.args ?? [])
      .slice(1)
      .filter((arg) => !arg.startsWith('--metrics-address'))
      .map((arg) => arg.replace('$(POD_NAMESPACE)', namespace).replace('$(POD_NAME)', 'rc-ringcast-operator-0'));
    const { yaml } = await mintServiceAccountKubeconfig(admin, { namespace, serviceAccount: container.serviceAccountName });
    operator = startOperatorProcess({ kubeconfigYaml: yaml, namespace, identity: 'rc-ringcast-operator-0', args: [...args, '--resync', '2s'] });
    await operator.opsPort();

    kubelet = startFakeKubelet(client, namespace, { labelSelector: `app.kubernetes.io/instance=${CLUSTER}` });
    await pollUntil(
      async () => {
        const rtc = await client.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters/${CLUSTER}`);
        return rtc.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
      },
      { what: `RealtimeCluster ${CLUSTER} Ready`, timeoutMs: WAIT_MS },
    );
    const lease = await client.get<{ spec: { holderIdentity?: string } }>(`/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${RELEASE}-ringcast-operator`);
    expect(lease.spec.holderIdentity).toBe('rc-ringcast-operator-0');
    const running = await everything();
    expect(running).toEqual(
      expect.arrayContaining([
        'deployments/chat-node',
        'statefulsets/chat-redis',
        'horizontalpodautoscalers/chat',
        'secrets/chat-credentials',
        'services/chat',
        'persistentvolumeclaims/data-chat-redis-0',
        'deployments/rc-ringcast-operator',
        'leases/rc-ringcast-operator',
      ]),
    );
    // The operator never needed more than the chart grants: no request of it was refused.
    const refused = operator.logLines().filter((line) => /forbidden/i.test(JSON.stringify(line)));
    expect(refused).toEqual([]);

    const uninstall = await helm(['uninstall', RELEASE, '--namespace', namespace, '--wait'], { kubeconfig: adminKubeconfigPath() });
    expect(uninstall.code).toBe(0);
    installed = false;
    await operator.stop();
    operator = undefined;
    const left = await pollUntil(
      async () => {
        const names = await everything();
        return names.every((n) => n === 'configmaps/kube-root-ca.crt' || n === 'serviceaccounts/default' || n.startsWith('persistentvolumeclaims/')) ? names : undefined;
      },
      { what: 'the garbage collector removing the cluster’s children', timeoutMs: WAIT_MS },
    );
    // What every namespace has (its default ServiceAccount, and the root CA ConfigMap where that controller runs)
    // aside, only the shard's volume claim is left.
    expect(left.filter((n) => n !== 'configmaps/kube-root-ca.crt' && n !== 'serviceaccounts/default')).toEqual(['persistentvolumeclaims/data-chat-redis-0']);
    for (const kind of ['clusterroles', 'clusterrolebindings']) {
      await expect(client.get(`/apis/rbac.authorization.k8s.io/v1/${kind}/${namespace}-${RELEASE}-ringcast-operator`)).rejects.toThrow(/404|not found/i);
    }
    await client.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/realtimeclusters.ringcast.dev');
  });
});

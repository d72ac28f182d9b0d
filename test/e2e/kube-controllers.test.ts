// With the real kube-controller-manager of kube-global-setup.ts: the garbage collector follows
// ownerReferences (cascading and orphaning), and a Deployment yields its ReplicaSet and that its Pods
// (created, never run: there is no kubelet or scheduler).
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1ConfigMap, type V1OwnerReference } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiStatusCode } from '../helpers/kube-api-status.js';
import { createTestNamespace, deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';

// The garbage collector acts once its informers have synced and it has seen the deletion; allow a slow CI machine.
const WAIT_MS = 60_000;

function ownerReference(owner: V1ConfigMap): V1OwnerReference {
  const { name, uid } = owner.metadata ?? {};
  if (!name || !uid) throw new Error('owner ConfigMap has no name/uid');
  return { apiVersion: 'v1', kind: 'ConfigMap', name, uid };
}

describe('kube-controller-manager against a real kube-apiserver', () => {
  let admin: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let namespace: string;

  beforeAll(async () => {
    admin = adminKubeConfig();
    core = admin.makeApiClient(CoreV1Api);
    apps = admin.makeApiClient(AppsV1Api);
    namespace = await createTestNamespace(admin, 'controllers');
  });

  afterAll(async () => {
    if (namespace) await deleteTestNamespace(admin, namespace);
  });

  const createConfigMap = (name: string, ownerReferences?: V1OwnerReference[]): Promise<V1ConfigMap> =>
    core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) }, data: { name } },
    });

  const configMapGone = (name: string) => async (): Promise<true | undefined> => {
    try {
      await core.readNamespacedConfigMap({ namespace, name });
      return undefined;
    } catch (error) {
      if (apiStatusCode(error) === 404) return true;
      throw error;
    }
  };

  it('garbage-collects a ConfigMap whose owner is deleted, and nothing else', async () => {
    const owner = await createConfigMap('owner');
    await createConfigMap('owned', [ownerReference(owner)]);
    await createConfigMap('bystander');

    await core.deleteNamespacedConfigMap({ namespace, name: 'owner' });
    await pollUntil(configMapGone('owned'), { what: 'owned ConfigMap garbage-collected', timeoutMs: WAIT_MS });

    const bystander = await core.readNamespacedConfigMap({ namespace, name: 'bystander' });
    expect(bystander.data).toEqual({ name: 'bystander' });
  });

  it('orphans the dependent, dropping its ownerReference, when the owner is deleted with propagationPolicy Orphan', async () => {
    const owner = await createConfigMap('orphan-owner');
    await createConfigMap('orphan', [ownerReference(owner)]);

    await core.deleteNamespacedConfigMap({ namespace, name: 'orphan-owner', propagationPolicy: 'Orphan' });
    // The orphan finalizer holds the owner until the collector has rewritten the dependents.
    await pollUntil(configMapGone('orphan-owner'), { what: 'orphaning owner deleted', timeoutMs: WAIT_MS });

    const orphan = await core.readNamespacedConfigMap({ namespace, name: 'orphan' });
    expect(orphan.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it('turns a Deployment into a ReplicaSet it controls, which creates the Pods', async () => {
    const labels = { app: 'web' };
    const deployment = await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            // Never pulled: nothing schedules or runs Pods here.
            spec: { containers: [{ name: 'web', image: 'registry.invalid/ringcast/web:e2e' }] },
          },
        },
      },
    });
    const deploymentUid = deployment.metadata?.uid;
    expect(deploymentUid).toBeTruthy();

    const replicaSet = await pollUntil(
      async () => {
        const list = await apps.listNamespacedReplicaSet({ namespace });
        return list.items.find((rs) =>
          rs.metadata?.ownerReferences?.some((ref) => ref.kind === 'Deployment' && ref.uid === deploymentUid && ref.controller),
        );
      },
      { what: 'ReplicaSet owned by Deployment web', timeoutMs: WAIT_MS },
    );
    expect(replicaSet.spec?.replicas).toBe(2);
    expect(replicaSet.spec?.selector.matchLabels).toMatchObject(labels);
    expect(replicaSet.spec?.template?.spec?.containers[0]?.image).toBe('registry.invalid/ringcast/web:e2e');

    const replicaSetUid = replicaSet.metadata?.uid;
    const pods = await pollUntil(
      async () => {
        const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
        const owned = list.items.filter((pod) =>
          pod.metadata?.ownerReferences?.some((ref) => ref.kind === 'ReplicaSet' && ref.uid === replicaSetUid),
        );
        return owned.length === 2 ? owned : undefined;
      },
      { what: 'two Pods owned by the ReplicaSet', timeoutMs: WAIT_MS },
    );
    expect(pods.every((pod) => pod.spec?.nodeName === undefined)).toBe(true);

    const status = await pollUntil(
      async () => {
        const current = await apps.readNamespacedDeployment({ namespace, name: 'web' });
        return current.status?.observedGeneration === current.metadata?.generation && current.status?.replicas === 2
          ? current.status
          : undefined;
      },
      { what: 'Deployment web status observed', timeoutMs: WAIT_MS },
    );
    expect(status.readyReplicas ?? 0).toBe(0);
  });
});

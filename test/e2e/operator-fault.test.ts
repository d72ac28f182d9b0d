// The operator killed in the middle of a reconcile (SIGKILL injected right after an apply, before the next one),
// then started again: it converges to the full set of children, each exactly once, none without its owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { KubeObject } from '../../src/kube/kube-object.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, fastOperatorArgs, getCluster, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';

// A short lease, so the second operator does not wait long for the killed one's lease to lapse.
const args = [...fastOperatorArgs, '--lease-duration', '4s', '--renew-deadline', '3s', '--retry-period', '1s'];

const COLLECTIONS = [
  '/api/v1/namespaces/NS/secrets', '/api/v1/namespaces/NS/configmaps', '/api/v1/namespaces/NS/serviceaccounts',
  '/api/v1/namespaces/NS/services', '/apis/apps/v1/namespaces/NS/deployments', '/apis/apps/v1/namespaces/NS/statefulsets',
  '/apis/policy/v1/namespaces/NS/poddisruptionbudgets', '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles', '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
];

const EXPECTED = [
  'configmaps/chat-node-config', 'deployments/chat-node', 'horizontalpodautoscalers/chat', 'poddisruptionbudgets/chat-node',
  'poddisruptionbudgets/chat-redis', 'rolebindings/chat-node', 'roles/chat-node', 'secrets/chat-credentials',
  'serviceaccounts/chat-node', 'services/chat', 'services/chat-redis', 'statefulsets/chat-redis',
];

describe('the operator killed mid-reconcile', () => {
  let env: OperatorEnv;
  let namespace: string;

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'operator-fault');
    namespace = env.namespace;
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  /** Every object in the namespace the operator labelled, with its owner references. */
  const owned = async (): Promise<Map<string, KubeObject>> => {
    const out = new Map<string, KubeObject>();
    for (const collection of COLLECTIONS) {
      const list = await env.client.get<{ items: KubeObject[] }>(collection.replace('NS', namespace), {
        labelSelector: 'app.kubernetes.io/managed-by=ringcast-operator',
      });
      for (const item of list.items) out.set(`${collection.split('/').pop()}/${item.metadata.name}`, item);
    }
    return out;
  };

  it('converges after a restart with no orphan and no duplicate', async () => {
    const faulty = env.startOperator('faulty', args, { RINGCAST_OPERATOR_FAULT_KILL_AFTER_APPLIES: '4' });
    await faulty.opsPort();
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: 'chat' },
        spec: { redis: { managed: { shards: 2 } }, autoscaling: { enabled: true } },
      },
    });
    await pollUntil(async () => (faulty.process.exitInfo ? faulty.process.exitInfo : undefined), {
      what: 'the operator killing itself after 4 applies',
      timeoutMs: WAIT_MS,
    });
    expect(faulty.process.exitInfo?.signal).toBe('SIGKILL');
    const partial = await owned();
    console.log(`after the kill: ${[...partial.keys()].sort().join(', ')}`);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThan(EXPECTED.length);
    const cluster = await getCluster(env.client, namespace, 'chat');
    expect(cluster.status).toBeUndefined();

    const healthy = env.startOperator('healthy', args);
    await healthy.opsPort();
    const full = await pollUntil(async () => {
      const now = await owned();
      return [...now.keys()].sort().join() === EXPECTED.join() ? now : undefined;
    }, { what: 'every child', timeoutMs: WAIT_MS });
    for (const [key, obj] of full) {
      expect(obj.metadata.ownerReferences, key).toEqual([
        { apiVersion: 'ringcast.dev/v1alpha1', kind: 'RealtimeCluster', name: 'chat', uid: cluster.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    // What existed before the kill is the same object now (taken over, not recreated).
    for (const [key, obj] of partial) expect(full.get(key)?.metadata.uid, key).toBe(obj.metadata.uid);
    await pollUntil(async () => ((await getCluster(env.client, namespace, 'chat')).status ? true : undefined), {
      what: 'a status',
      timeoutMs: WAIT_MS,
    });
  });
});

// Every example in crds/examples against the real API server and the operator: each valid one is accepted and
// becomes exactly the children it should (with owner references); each invalid one is refused with a message that
// names the offending field (updates are applied over the valid example they name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KubeApiError } from '../../src/kube/kube-api-error.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { loadExamples } from '../helpers/crd-file.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, setUpOperatorEnv, waitForCluster, type OperatorEnv } from '../helpers/operator-env.js';

interface Child extends KubeObject {
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

/** The kinds a cluster may own, by collection. */
const CHILD_COLLECTIONS: Record<string, string> = {
  Secret: '/api/v1/namespaces/NS/secrets',
  ConfigMap: '/api/v1/namespaces/NS/configmaps',
  ServiceAccount: '/api/v1/namespaces/NS/serviceaccounts',
  Service: '/api/v1/namespaces/NS/services',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
  Deployment: '/apis/apps/v1/namespaces/NS/deployments',
  StatefulSet: '/apis/apps/v1/namespaces/NS/statefulsets',
  PodDisruptionBudget: '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
  HorizontalPodAutoscaler: '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers',
};

/** What each valid example must turn into: the children by kind/name, and checks on some of them. */
const expectations: Record<string, { cluster: string; children: string[]; check(children: Map<string, Child>): void }> = {
  'minimal.yaml': {
    cluster: 'chat',
    children: [
      'Secret/chat-credentials', 'ConfigMap/chat-node-config', 'ServiceAccount/chat-node', 'Role/chat-node',
      'RoleBinding/chat-node', 'Service/chat', 'Service/chat-redis', 'Deployment/chat-node', 'StatefulSet/chat-redis',
      'PodDisruptionBudget/chat-node', 'PodDisruptionBudget/chat-redis',
    ],
    check(children) {
      expect(children.get('Deployment/chat-node')?.spec).toMatchObject({ replicas: 2 });
      expect(children.get('StatefulSet/chat-redis')?.spec).toMatchObject({ replicas: 1 });
      expect(children.get('StatefulSet/chat-redis')?.spec?.['volumeClaimTemplates']).toBeUndefined();
      expect(Object.keys(children.get('Secret/chat-credentials')?.data ?? {}).sort()).toEqual(['api-key', 'redis-password', 'token-hmac-secret-key']);
      const image = (children.get('Deployment/chat-node')?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
      expect(image).toBe('ringcast/ringcast:test'); // the operator's --node-image
    },
  },
  'sharded-autoscaled.yaml': {
    cluster: 'realtime',
    children: [
      'Secret/realtime-credentials', 'ConfigMap/realtime-node-config', 'ServiceAccount/realtime-node', 'Role/realtime-node',
      'RoleBinding/realtime-node', 'Service/realtime', 'Service/realtime-redis', 'Deployment/realtime-node',
      'StatefulSet/realtime-redis', 'PodDisruptionBudget/realtime-node', 'PodDisruptionBudget/realtime-redis',
      'HorizontalPodAutoscaler/realtime',
    ],
    check(children) {
      const sts = children.get('StatefulSet/realtime-redis')!.spec!;
      expect(sts).toMatchObject({ replicas: 3, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } });
      expect(sts['volumeClaimTemplates']).toMatchObject([{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '2Gi' } } } }]);
      const redis = (sts['template'] as { spec: { containers: { args: string[]; resources: unknown }[] } }).spec.containers[0]!;
      expect(redis.args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--dir', '/data']));
      expect(redis.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' } });
      const node = (children.get('Deployment/realtime-node')!.spec as { replicas: number; template: { spec: { containers: { image: string; resources: unknown }[]; terminationGracePeriodSeconds: number } } });
      expect(node.replicas).toBe(3);
      expect(node.template.spec.containers[0]!.image).toBe('ghcr.io/ringcast/ringcast:0.1.0');
      expect(node.template.spec.containers[0]!.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } });
      expect(node.template.spec.terminationGracePeriodSeconds).toBe(5 + 45 + 15);
      expect(children.get('HorizontalPodAutoscaler/realtime')?.spec).toMatchObject({
        minReplicas: 3,
        maxReplicas: 20,
        metrics: [{ pods: { target: { averageValue: '10k' } } }],
      });
      const service = children.get('Service/realtime')!;
      expect(service.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'http' }] });
      expect(service.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
      const config = JSON.parse(children.get('ConfigMap/realtime-node-config')!.data!['config.json']!) as { channel: { namespaces: { name: string }[] } };
      expect(config.channel.namespaces.map((n) => n.name)).toEqual(['chat', 'notifications']);
    },
  },
  'external-redis.yaml': {
    cluster: 'feed',
    // Every secret is referenced and Redis is external: no credentials Secret, no StatefulSet.
    children: [
      'ConfigMap/feed-node-config', 'ServiceAccount/feed-node', 'Role/feed-node', 'RoleBinding/feed-node', 'Service/feed',
      'Deployment/feed-node', 'PodDisruptionBudget/feed-node',
    ],
    check(children) {
      const env = (children.get('Deployment/feed-node')!.spec as { template: { spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } } })
        .template.spec.containers[0]!.env;
      const byName = Object.fromEntries(env.map((e) => [e.name, e.valueFrom]));
      expect(byName['RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY']).toEqual({ secretKeyRef: { name: 'ringcast-keys', key: 'hmac' } });
      expect(byName['RINGCAST_HTTP_API_KEY']).toEqual({ secretKeyRef: { name: 'ringcast-keys', key: 'api-key' } });
      expect(byName['RINGCAST_ENGINE_REDIS_PASSWORD']).toEqual({ secretKeyRef: { name: 'ringcast-keys', key: 'redis-password' } });
      const config = JSON.parse(children.get('ConfigMap/feed-node-config')!.data!['config.json']!) as { engine: unknown };
      expect(config.engine).toEqual({ type: 'redis', redis: { prefix: 'feed' } });
    },
  },
  'keda.yaml': {
    cluster: 'events',
    // KEDA scales through the scale subresource: the operator makes no HPA.
    children: [
      'Secret/events-credentials', 'ConfigMap/events-node-config', 'ServiceAccount/events-node', 'Role/events-node',
      'RoleBinding/events-node', 'Service/events', 'Service/events-redis', 'Deployment/events-node', 'StatefulSet/events-redis',
      'PodDisruptionBudget/events-node', 'PodDisruptionBudget/events-redis',
    ],
    check(children) {
      expect(children.get('StatefulSet/events-redis')?.spec).toMatchObject({ replicas: 2 });
    },
  },
};

async function failure(call: Promise<unknown>): Promise<KubeApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('the API server accepted it');
}

describe('crds/examples on the real API server', () => {
  let env: OperatorEnv;
  let namespace: string;
  const valid = loadExamples('valid');
  const invalid = loadExamples('invalid');

  const path = (obj: Record<string, unknown>): string => {
    const name = (obj['metadata'] as { name: string }).name;
    return obj['kind'] === 'Secret' ? `/api/v1/namespaces/${namespace}/secrets/${name}` : clusterPath(namespace, name);
  };
  const collection = (obj: Record<string, unknown>): string => path(obj).replace(/\/[^/]+$/, '');

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'crd-examples');
    namespace = env.namespace;
    await env.startOperator('examples').opsPort();
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('has an expectation for every valid example and at least eight invalid ones', () => {
    expect(valid.map((e) => e.file).sort()).toEqual(Object.keys(expectations).sort());
    expect(invalid.length).toBeGreaterThanOrEqual(8);
    for (const example of invalid) expect(example.expectFields.length, example.file).toBeGreaterThan(0);
  });

  it.each(valid.map((e) => [e.file, e] as const))('%s is accepted and becomes its children', async (file, example) => {
    for (const obj of example.objects) {
      await env.client.request('POST', collection(obj), { body: obj, query: { fieldValidation: 'Strict' } });
    }
    const expected = expectations[file]!;
    const cluster = await waitForCluster(env.client, namespace, expected.cluster, 'a status', (c) => (c.status ? c : undefined));
    const children = await pollUntil(
      async () => {
        const found = new Map<string, Child>();
        for (const [kind, url] of Object.entries(CHILD_COLLECTIONS)) {
          const list = await env.client.get<{ items: Child[] }>(url.replace('NS', namespace), {
            labelSelector: `app.kubernetes.io/instance=${expected.cluster}`,
          });
          for (const item of list.items) found.set(`${kind}/${item.metadata.name}`, item);
        }
        return [...found.keys()].sort().join() === [...expected.children].sort().join() ? found : undefined;
      },
      { what: `the children of ${expected.cluster}`, timeoutMs: WAIT_MS },
    );
    for (const [key, child] of children) {
      expect(child.metadata.ownerReferences, key).toEqual([
        {
          apiVersion: 'ringcast.dev/v1alpha1',
          kind: 'RealtimeCluster',
          name: expected.cluster,
          uid: cluster.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    expected.check(children);
  });

  it('reports unreachable external shards on the status instead of publishing a ring', async () => {
    const cluster = await waitForCluster(env.client, namespace, 'feed', 'waiting for external shards', (c) => {
      const ready = (c.status as { conditions?: { type: string; reason: string; message: string }[] } | undefined)?.conditions?.find(
        (x) => x.type === 'Ready',
      );
      return ready?.reason === 'WaitingForShards' ? ready : undefined;
    });
    expect(cluster.message).toContain('redis://redis-a.example.internal:6379, redis://redis-b.example.internal:6379');
  });

  it.each(invalid.map((e) => [e.file, e] as const))('%s is refused, naming the field', async (file, example) => {
    const obj = example.objects[0]!;
    const error = example.appliedOver
      ? await failure(env.client.mergePatch(path(obj), { spec: obj['spec'] }, { fieldValidation: 'Strict' }))
      : await failure(env.client.request('POST', collection(obj), { body: obj, query: { fieldValidation: 'Strict' } }));
    console.log(`${file}: ${error.status} ${error.message.replace(/^[A-Z]+ \S+: /, '')}`);
    expect([400, 422]).toContain(error.status);
    for (const field of example.expectFields) expect(error.message, file).toContain(field);
  });
});

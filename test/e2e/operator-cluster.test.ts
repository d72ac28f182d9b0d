// The operator against the real control plane: a RealtimeCluster becomes its children, the ring is published once
// the shard pods are ready (marked so as a kubelet would), the cluster follows spec changes (replicas, config,
// shards 2 → 3, the scale subresource), and a steady state writes nothing for 30 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { KubeObject } from '../../src/kube/kube-object.js';
import type { RealtimeClusterStatus } from '../../src/kube/realtime-cluster-status.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/kube-kubelet.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, getCluster, setUpOperatorEnv, waitForCluster, type OperatorEnv } from '../helpers/operator-env.js';

const NAME = 'chat';
const OWNER_KIND = 'RealtimeCluster';

interface AnyObject extends KubeObject {
  spec?: Record<string, unknown> & { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec } };
  data?: Record<string, string>;
  status?: Record<string, unknown>;
  rules?: unknown;
  roleRef?: unknown;
  subjects?: unknown;
}

interface PodSpec {
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: { topologyKey: string }[];
  containers: {
    image: string;
    args?: string[];
    env?: { name: string; value?: string; valueFrom?: unknown }[];
    ports?: { name: string; containerPort: number }[];
    readinessProbe?: unknown;
    livenessProbe?: unknown;
    lifecycle?: unknown;
  }[];
  volumes?: unknown[];
}

const statusOf = (obj: { status?: unknown }): RealtimeClusterStatus => (obj.status ?? {}) as RealtimeClusterStatus;
const condition = (obj: { status?: unknown }, type: string) => statusOf(obj).conditions?.find((c) => c.type === type);

describe('the operator turns a RealtimeCluster into a running cluster', () => {
  let env: OperatorEnv;
  let namespace: string;
  let redisKubelet: FakeKubelet | undefined;
  let nodeKubelet: FakeKubelet | undefined;
  const heldShards = new Set<string>();

  const path = (kind: string, name: string): string => {
    const ns = `/namespaces/${namespace}`;
    const paths: Record<string, string> = {
      ConfigMap: `/api/v1${ns}/configmaps/${name}`,
      Secret: `/api/v1${ns}/secrets/${name}`,
      ServiceAccount: `/api/v1${ns}/serviceaccounts/${name}`,
      Service: `/api/v1${ns}/services/${name}`,
      Role: `/apis/rbac.authorization.k8s.io/v1${ns}/roles/${name}`,
      RoleBinding: `/apis/rbac.authorization.k8s.io/v1${ns}/rolebindings/${name}`,
      Deployment: `/apis/apps/v1${ns}/deployments/${name}`,
      StatefulSet: `/apis/apps/v1${ns}/statefulsets/${name}`,
      PodDisruptionBudget: `/apis/policy/v1${ns}/poddisruptionbudgets/${name}`,
      HorizontalPodAutoscaler: `/apis/autoscaling/v2${ns}/horizontalpodautoscalers/${name}`,
    };
    return paths[kind]!;
  };
  const get = (kind: string, name: string) => env.client.get<AnyObject>(path(kind, name));
  const waitForChild = (kind: string, name: string, check: (obj: AnyObject) => boolean = () => true, what = '') =>
    pollUntil(
      async () => {
        const obj = await get(kind, name);
        return check(obj) ? obj : undefined;
      },
      { what: `${kind} ${name} ${what}`.trim(), timeoutMs: WAIT_MS, intervalMs: 200 },
    );

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'operator-cluster');
    namespace = env.namespace;
    await env.startOperator('operator-a').opsPort();
  });

  afterAll(async () => {
    await redisKubelet?.stop();
    await nodeKubelet?.stop();
    await env?.cleanup();
  });

  it('creates every child with its owner reference and publishes the ring once the shards are ready', async () => {
    const created = await env.client.request<AnyObject>('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          image: 'ringcast/ringcast:e2e',
          nodes: { replicas: 2, drain: { window: '20s', preStopDelay: '3s' } },
          redis: { managed: { shards: 2 } },
          autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6, targetConnectionsPerNode: 5000 },
          config: {
            client: { allowed_origins: ['https://app.example.com'] },
            channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true }] },
          },
        },
      },
    });
    const uid = created.metadata.uid;

    const ownedByCluster = (obj: AnyObject): void => {
      expect(obj.metadata.ownerReferences).toEqual([
        { apiVersion: 'ringcast.dev/v1alpha1', kind: OWNER_KIND, name: NAME, uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(obj.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('ringcast-operator');
    };

    const secret = await waitForChild('Secret', 'chat-credentials');
    ownedByCluster(secret);
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['api-key', 'redis-password', 'token-hmac-secret-key']);
    for (const value of Object.values(secret.data ?? {})) expect(Buffer.from(value, 'base64').length).toBeGreaterThanOrEqual(32);

    const configMap = await waitForChild('ConfigMap', 'chat-node-config');
    ownedByCluster(configMap);
    const nodeConfig = JSON.parse(configMap.data?.['config.json'] ?? '{}') as Record<string, Record<string, unknown>>;
    expect(nodeConfig['engine']).toEqual({ type: 'redis', redis: {} });
    expect(nodeConfig['http_server']).toEqual({ port: 8000 });
    expect(nodeConfig['client']).toEqual({ allowed_origins: ['https://app.example.com'] });
    expect(nodeConfig['ringcast']).toEqual({ kubernetes: { cluster: NAME }, shutdown: { drain_window: '20000ms' } });
    expect(nodeConfig['shutdown']).toEqual({ timeout: '30000ms' });
    expect(JSON.stringify(nodeConfig)).not.toMatch(/hmac_secret_key|"key"/);

    ownedByCluster(await waitForChild('ServiceAccount', 'chat-node'));
    const role = await waitForChild('Role', 'chat-node');
    ownedByCluster(role);
    expect(role.rules).toEqual([
      { apiGroups: ['ringcast.dev'], resources: ['realtimeclusters'], resourceNames: [NAME], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = await waitForChild('RoleBinding', 'chat-node');
    ownedByCluster(binding);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'chat-node', namespace }]);

    const deployment = await waitForChild('Deployment', 'chat-node');
    ownedByCluster(deployment);
    expect(deployment.spec?.replicas).toBe(2);
    const pod = deployment.spec!.template!.spec!;
    expect(pod.serviceAccountName).toBe('chat-node');
    expect(pod.terminationGracePeriodSeconds).toBe(3 + 20 + 15);
    expect(pod.topologySpreadConstraints?.map((c) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const container = pod.containers[0]!;
    expect(container.image).toBe('ringcast/ringcast:e2e');
    expect(container.args).toEqual(['serve', '--config', '/etc/ringcast/config.json']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/health/live', port: 'http' } });
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 3 } } });
    const envByName = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.valueFrom ?? e.value]));
    expect(envByName['RINGCAST_KUBERNETES_CLUSTER']).toBe(NAME);
    expect(envByName['RINGCAST_NODE_NAME']).toEqual({ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } });
    expect(envByName['RINGCAST_KUBERNETES_NAMESPACE']).toEqual({ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } });
    expect(envByName['RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY']).toEqual({ secretKeyRef: { name: 'chat-credentials', key: 'token-hmac-secret-key' } });
    expect(envByName['RINGCAST_HTTP_API_KEY']).toEqual({ secretKeyRef: { name: 'chat-credentials', key: 'api-key' } });
    expect(envByName['RINGCAST_ENGINE_REDIS_PASSWORD']).toEqual({ secretKeyRef: { name: 'chat-credentials', key: 'redis-password' } });
    expect(deployment.spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash']).toMatch(/^[0-9a-f]{16}$/);

    const clientService = await waitForChild('Service', NAME);
    ownedByCluster(clientService);
    expect(clientService.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'ringcast', 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': 'node' },
      ports: [{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }],
    });
    const redisService = await waitForChild('Service', 'chat-redis');
    ownedByCluster(redisService);
    expect(redisService.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const statefulSet = await waitForChild('StatefulSet', 'chat-redis');
    ownedByCluster(statefulSet);
    expect(statefulSet.spec).toMatchObject({ replicas: 2, serviceName: 'chat-redis', podManagementPolicy: 'Parallel' });
    for (const name of ['chat-node', 'chat-redis']) {
      const budget = await waitForChild('PodDisruptionBudget', name);
      ownedByCluster(budget);
      expect(budget.spec).toMatchObject({ maxUnavailable: 1 });
    }
    const hpa = await waitForChild('HorizontalPodAutoscaler', NAME);
    ownedByCluster(hpa);
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'ringcast.dev/v1alpha1', kind: 'RealtimeCluster', name: NAME },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'ringcast_node_connections' }, target: { type: 'AverageValue', averageValue: '5k' } } }],
    });

    // No shard is ready: no ring, and the status says what it waits for.
    const waiting = await waitForCluster(env.client, namespace, NAME, 'status waiting for shards', (c) =>
      condition(c, 'Ready')?.reason === 'WaitingForShards' ? c : undefined,
    );
    expect(statusOf(waiting).ring).toBeUndefined();
    expect(condition(waiting, 'Ready')?.message).toContain('chat-redis-0, chat-redis-1');
    expect(statusOf(waiting).observedGeneration).toBe(created.metadata.generation);
    expect(statusOf(waiting).selector).toBe('app.kubernetes.io/name=ringcast,app.kubernetes.io/instance=chat,app.kubernetes.io/component=node');

    // The StatefulSet controller creates the shard pods; the first one ready is not enough.
    heldShards.add('chat-redis-1');
    redisKubelet = startFakeKubelet(env.client, namespace, {
      labelSelector: 'app.kubernetes.io/instance=chat,app.kubernetes.io/component=redis',
      ready: (name) => !heldShards.has(name),
    });
    await pollUntil(async () => (redisKubelet!.marked.has('chat-redis-0') ? true : undefined), { what: 'shard 0 ready', timeoutMs: WAIT_MS });
    const stillWaiting = await waitForCluster(env.client, namespace, NAME, 'waiting only for shard 1', (c) =>
      condition(c, 'Ready')?.message.includes('waiting for chat-redis-1 (') ? c : undefined,
    );
    expect(statusOf(stillWaiting).ring).toBeUndefined();

    heldShards.delete('chat-redis-1');
    const withRing = await waitForCluster(env.client, namespace, NAME, 'ring published', (c) => statusOf(c).ring);
    expect(withRing).toEqual({
      version: 1,
      size: 2,
      shards: [0, 1].map((index) => ({
        index,
        name: `chat-redis-${index}`,
        address: `redis://chat-redis-${index}.chat-redis.${namespace}.svc.cluster.local:6379`,
        ready: true,
      })),
    });

    // Node pods ready too → Ready.
    nodeKubelet = startFakeKubelet(env.client, namespace, {
      labelSelector: 'app.kubernetes.io/instance=chat,app.kubernetes.io/component=node',
    });
    const ready = await waitForCluster(env.client, namespace, NAME, 'Ready', (c) =>
      condition(c, 'Ready')?.status === 'True' && statusOf(c).nodes?.ready === 2 ? c : undefined,
    );
    expect(condition(ready, 'Ready')).toMatchObject({ reason: 'ClusterReady', message: '2 of 2 nodes ready; ring v1 with 2 shards' });
    expect(condition(ready, 'Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected' });
    expect(statusOf(ready).endpoints).toEqual({
      websocket: `ws://chat.${namespace}.svc.cluster.local:8000/connection/websocket`,
      api: `http://chat.${namespace}.svc.cluster.local:8000/api`,
      credentialsSecret: 'chat-credentials',
    });
    const progressing = await waitForCluster(env.client, namespace, NAME, 'Progressing false', (c) =>
      condition(c, 'Progressing')?.status === 'False' ? c : undefined,
    );
    expect(condition(progressing, 'Progressing')?.reason).toBe('Stable');
  });

  it('serves the printer columns in a table get', async () => {
    const table = await env.client.get<{ columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] }>(
      clusterPath(namespace, ''),
      undefined,
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    const columns = table.columnDefinitions.map((column) => column.name);
    expect(columns).toEqual(['Name', 'Nodes', 'Desired', 'Shards', 'Connections', 'Ring', 'Ready', 'Reason', 'Age']);
    const row = Object.fromEntries(columns.map((column, i) => [column, table.rows[0]!.cells[i]]));
    console.log(`kubectl get rtc:\n  ${columns.join('  ')}\n  ${columns.map((c) => String(row[c])).join('  ')}`);
    expect(row).toMatchObject({ Name: NAME, Nodes: 2, Desired: 2, Shards: 2, Ring: 1, Ready: 'True', Reason: 'ClusterReady' });
  });

  it('follows replicas, a restart-needing config change, a live config change, and shards 2 → 3', async () => {
    const before = await get('Deployment', 'chat-node');
    const hashBefore = before.spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash'];

    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { nodes: { replicas: 3 } } });
    await waitForChild('Deployment', 'chat-node', (d) => d.spec?.replicas === 3, 'scaled to 3');

    // channel.* is taken live by running nodes: the ConfigMap changes, the pod template does not.
    await env.client.mergePatch(clusterPath(namespace, NAME), {
      spec: { config: { channel: { namespaces: [{ name: 'chat', allow_subscribe_for_client: true, presence: true }] } } },
    });
    await waitForChild('ConfigMap', 'chat-node-config', (cm) => (cm.data?.['config.json'] ?? '').includes('"presence": true'), 'with presence');
    expect((await get('Deployment', 'chat-node')).spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash']).toBe(hashBefore);

    // client.* needs a restart: the template hash changes, so the Deployment rolls (a new ReplicaSet).
    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { config: { client: { ping_interval: '20s' } } } });
    const rolled = await waitForChild(
      'Deployment',
      'chat-node',
      (d) => d.spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash'] !== hashBefore,
      'template hash changed',
    );
    const newHash = rolled.spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash'];
    await pollUntil(
      async () => {
        const sets = await env.client.get<{ items: AnyObject[] }>(`/apis/apps/v1/namespaces/${namespace}/replicasets`, {
          labelSelector: 'app.kubernetes.io/instance=chat,app.kubernetes.io/component=node',
        });
        return sets.items.some((rs) => rs.spec?.template?.metadata?.annotations?.['ringcast.dev/config-hash'] === newHash) ? true : undefined;
      },
      { what: 'a ReplicaSet with the new template', timeoutMs: WAIT_MS },
    );

    // Shards 2 → 3: the StatefulSet grows at once, the ring only once the new shard is ready.
    heldShards.add('chat-redis-2');
    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { redis: { managed: { shards: 3 } } } });
    await waitForChild('StatefulSet', 'chat-redis', (s) => s.spec?.replicas === 3, 'with 3 replicas');
    const adding = await waitForCluster(env.client, namespace, NAME, 'AddingShards', (c) =>
      condition(c, 'Progressing')?.message.includes('chat-redis-2 join the ring once ready') ? c : undefined,
    );
    expect(statusOf(adding).ring?.version).toBe(1);
    expect(statusOf(adding).ring?.size).toBe(2);
    heldShards.delete('chat-redis-2');
    const grown = await waitForCluster(env.client, namespace, NAME, 'ring v2', (c) => (statusOf(c).ring?.version === 2 ? statusOf(c).ring : undefined));
    expect(grown.shards.map((s) => s.name)).toEqual(['chat-redis-0', 'chat-redis-1', 'chat-redis-2']);
    expect(grown.shards.every((s) => s.ready)).toBe(true);

    const events = await env.client.get<{ items: { reason: string; note: string; regarding: { name: string } }[] }>(
      `/apis/events.k8s.io/v1/namespaces/${namespace}/events`,
    );
    const notes = events.items.filter((e) => e.regarding.name === NAME).map((e) => `${e.reason}: ${e.note}`);
    expect(notes).toEqual(expect.arrayContaining([
      'RingPublished: ring v1 with 2 shards (added chat-redis-0, chat-redis-1)',
      'RingPublished: ring v2 with 3 shards (added chat-redis-2)',
      'Created: created Deployment chat-node',
    ]));
  });

  it('scales the nodes through the scale subresource, as an autoscaler does', async () => {
    const scalePath = `${clusterPath(namespace, NAME)}/scale`;
    const scale = await env.client.get<{ spec: { replicas: number }; status: { selector: string } }>(scalePath);
    expect(scale.spec.replicas).toBe(3);
    expect(scale.status.selector).toBe('app.kubernetes.io/name=ringcast,app.kubernetes.io/instance=chat,app.kubernetes.io/component=node');
    await env.client.mergePatch(scalePath, { spec: { replicas: 4 } });
    await waitForChild('Deployment', 'chat-node', (d) => d.spec?.replicas === 4, 'scaled to 4 through /scale');
    const cluster = await getCluster(env.client, namespace, NAME);
    expect((cluster.spec as { nodes: { replicas: number } }).nodes.replicas).toBe(4);
    await waitForCluster(env.client, namespace, NAME, '4 ready nodes', (c) => (statusOf(c).nodes?.ready === 4 ? true : undefined));
  });

  it('deletes the HorizontalPodAutoscaler when autoscaling is turned off', async () => {
    await env.client.mergePatch(clusterPath(namespace, NAME), { spec: { autoscaling: { enabled: false } } });
    await pollUntil(
      async () => {
        try {
          await get('HorizontalPodAutoscaler', NAME);
          return undefined;
        } catch (error) {
          return (error as { status?: number }).status === 404 ? true : undefined;
        }
      },
      { what: 'HPA deleted', timeoutMs: WAIT_MS },
    );
  });

  // (Without the HPA, whose controller rewrites its status every 15 s while no metrics API answers.)
  it('writes nothing in a steady state: 30 s of reconciles leave every resourceVersion unchanged', async () => {
    await waitForCluster(env.client, namespace, NAME, 'stable', (c) =>
      condition(c, 'Progressing')?.status === 'False' && condition(c, 'Ready')?.status === 'True' ? true : undefined,
    );
    const snapshot = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      const cluster = await getCluster(env.client, namespace, NAME);
      out[`RealtimeCluster/${NAME}`] = cluster.metadata.resourceVersion ?? '';
      const collections = [
        '/api/v1/namespaces/NS/configmaps', '/api/v1/namespaces/NS/secrets', '/api/v1/namespaces/NS/serviceaccounts',
        '/api/v1/namespaces/NS/services', '/api/v1/namespaces/NS/pods', '/apis/apps/v1/namespaces/NS/deployments',
        '/apis/apps/v1/namespaces/NS/replicasets', '/apis/apps/v1/namespaces/NS/statefulsets',
        '/apis/policy/v1/namespaces/NS/poddisruptionbudgets', '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles', '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
        '/apis/events.k8s.io/v1/namespaces/NS/events',
      ];
      for (const collection of collections) {
        const list = await env.client.get<{ items: KubeObject[] }>(collection.replace('NS', namespace));
        for (const item of list.items) {
          if (item.metadata.labels?.['app.kubernetes.io/instance'] === NAME || collection.includes('events') || collection.includes('pods')) {
            out[`${collection.split('/').pop()}/${item.metadata.name}`] = item.metadata.resourceVersion ?? '';
          }
        }
      }
      return out;
    };
    const metricsBefore = await operatorCounters(env);
    const before = await snapshot();
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const after = await snapshot();
    const metricsAfter = await operatorCounters(env);
    expect(after).toEqual(before);
    expect(metricsAfter.reconciles - metricsBefore.reconciles).toBeGreaterThanOrEqual(10);
    expect(metricsAfter.applies).toBe(metricsBefore.applies);
    expect(metricsAfter.statusWrites).toBe(metricsBefore.statusWrites);
    console.log(
      `steady state: ${Object.keys(before).length} objects unchanged over 30 s, ` +
        `${metricsAfter.reconciles - metricsBefore.reconciles} reconciles, 0 applies, 0 status writes`,
    );
  });
});

async function operatorCounters(env: OperatorEnv): Promise<{ reconciles: number; applies: number; statusWrites: number }> {
  const port = await env.operators[0]!.opsPort();
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (pattern: RegExp): number =>
    [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return {
    reconciles: sum(/^ringcast_operator_reconciles_total\{result="success"\} (\S+)$/gm),
    applies: sum(/^ringcast_operator_applies_total\{[^}]*\} (\S+)$/gm),
    statusWrites: sum(/^ringcast_operator_status_writes_total (\S+)$/gm),
  };
}

// The user's story end to end on real pods: the operator runs as a pod from the project's image, a
// RealtimeCluster with 2 nodes and 2 Redis shards is applied, its pods run, status.ring lists both shards,
// official SDK clients on node pods A and B both receive a publication sent through the HTTP API; a node
// pod is deleted and its client reconnects through the Service and recovers every publication it missed;
// scaled to 3 nodes, the third joins /api/info.
import { request } from 'node:http';

import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { KubeClient } from '../../src/kube/kube-client.js';
import { openPodNetwork, type PodNetwork } from '../cluster/pod-network.js';
import { createPodsNamespace, keepDiagnosticsOnFailure, podsAdminKubeConfig, podsCluster } from '../cluster/pods-test-context.js';
import { deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { installCrd } from '../helpers/operator-env.js';
import { installOperatorRbac } from '../helpers/operator-rbac.js';
import { hs256Token } from '../helpers/tokens.js';

const WAIT_MS = 180_000;
const CLUSTER = 'story';
const CHANNEL = 'news:story';
const PORT = 8000;

let kc: KubeConfig;
let core: CoreV1Api;
let client: KubeClient;
let namespace = '';
let network: PodNetwork;
const sdkClients: InstanceType<typeof Centrifuge>[] = [];

keepDiagnosticsOnFailure(() => kc, () => (namespace ? [namespace] : []));

const clusterPath = (): string => `/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters/${CLUSTER}`;

const isReady = (pod: V1Pod): boolean =>
  !pod.metadata?.deletionTimestamp && pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function readyPods(component: string, count: number): Promise<V1Pod[]> {
  const labelSelector = `app.kubernetes.io/instance=${CLUSTER},app.kubernetes.io/component=${component}`;
  return pollUntil(
    async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector })).items.filter((p) => !p.metadata?.deletionTimestamp);
      return pods.length === count && pods.every(isReady) ? pods : undefined;
    },
    { what: `${count} Ready ${component} pod(s) of ${CLUSTER}`, timeoutMs: WAIT_MS, intervalMs: 500 },
  );
}

/** POST /api/<method> on a fresh connection (each call may reach another node behind the Service). */
function api<T>(port: number, apiKey: string, method: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/api/${method}`, method: 'POST', agent: false, headers: { 'X-API-Key': apiKey }, timeout: 10_000 },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(text) as { result?: T; error?: unknown };
            if (parsed.error || parsed.result === undefined) reject(new Error(`/api/${method}: ${text}`));
            else resolve(parsed.result);
          } catch (error) {
            reject(new Error(`/api/${method} answered ${res.statusCode ?? 0}: ${text}`, { cause: error }));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`/api/${method} gave no answer within 10 s`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * A WebSocket class for the SDK whose first connection goes to one node pod and every later one (after
 * that pod is gone) through the cluster's Service, as a client behind a load balancer would reconnect.
 */
function pinnedThenService(firstPort: number, servicePort: () => number): typeof WebSocket {
  let attempts = 0;
  return class extends WebSocket {
    constructor(_url: string | URL, protocols?: string | string[]) {
      const port = attempts++ === 0 ? firstPort : servicePort();
      super(`ws://127.0.0.1:${port}/connection/websocket`, protocols);
    }
  } as typeof WebSocket;
}

interface Received {
  readonly offsets: number[];
  readonly data: unknown[];
  /** One entry per (re)subscription: whether it asked to recover, and whether it did. */
  readonly subscribed: { wasRecovering: boolean; recovered: boolean }[];
}

beforeAll(async () => {
  kc = podsAdminKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  client = new KubeClient(kc);
  namespace = await createPodsNamespace(kc, 'story');
  network = openPodNetwork(podsCluster(), kc);
  await installCrd(client);
  await installOperatorRbac(kc, namespace);
  const { ringcast } = podsCluster().images;
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'ringcast-operator' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'ringcast-operator' } },
        template: {
          metadata: { labels: { app: 'ringcast-operator' } },
          spec: {
            serviceAccountName: 'ringcast-operator',
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: 'operator',
                image: ringcast,
                imagePullPolicy: 'Never',
                args: ['operator', '--namespace', namespace, '--node-image', ringcast, '--scrape-interval', '2s'],
                ports: [{ name: 'metrics', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 1 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    },
  });
}, WAIT_MS);

afterAll(async () => {
  for (const sdk of sdkClients) sdk.disconnect();
  network?.close();
  if (namespace) await deleteTestNamespace(kc, namespace);
});

describe('a RealtimeCluster on real pods', () => {
  it('runs, delivers across node pods, recovers a client whose pod is deleted, and scales to a third node', async () => {
    await pollUntil(
      async () => {
        const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=ringcast-operator' })).items;
        return pods.some(isReady) ? true : undefined;
      },
      { what: 'the operator pod Ready', timeoutMs: WAIT_MS, intervalMs: 500 },
    );

    await client.apply(
      clusterPath(),
      {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: CLUSTER, namespace },
        spec: {
          image: podsCluster().images.ringcast,
          nodes: { replicas: 2, drain: { window: '2s', preStopDelay: '1s' } },
          redis: { managed: { shards: 2, image: podsCluster().images.redis } },
          config: {
            channel: {
              namespaces: [{ name: 'news', history_size: 100, history_ttl: '300s', force_recovery: true, allow_subscribe_for_client: true }],
            },
          },
        },
      },
      'ringcast-e2e',
    );

    // The operator's pods run, and the ring it publishes names both shards.
    await readyPods('redis', 2);
    const [podA, podB] = await readyPods('node', 2);
    const ring = await pollUntil(
      async () => {
        const live = await client.get<{ status?: { ring?: { size: number; shards: { index: number; name: string; ready: boolean }[] } } }>(clusterPath());
        const shards = live.status?.ring?.shards ?? [];
        return shards.length === 2 && shards.every((s) => s.ready) ? live.status?.ring : undefined;
      },
      { what: 'status.ring with both shards', timeoutMs: WAIT_MS, intervalMs: 500 },
    );
    expect(ring.shards.map((s) => s.index)).toEqual([0, 1]);

    const secret = await core.readNamespacedSecret({ namespace, name: `${CLUSTER}-credentials` });
    const decode = (key: string): string => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    const apiKey = decode('api-key');
    const hmac = decode('token-hmac-secret-key');
    expect(apiKey).not.toBe('');

    const service = await network.forwardToService(namespace, CLUSTER, PORT);
    // kube-proxy programs the Service's endpoints a moment after the pods turn Ready; until then a connection
    // through the ClusterIP is reset.
    await pollUntil(() => api(service.port, apiKey, 'info', {}), {
      what: 'the Service routing to the node pods',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const nameA = podA?.metadata?.name ?? '';
    const nameB = podB?.metadata?.name ?? '';
    const received: Record<'A' | 'B', Received> = {
      A: { offsets: [], data: [], subscribed: [] },
      B: { offsets: [], data: [], subscribed: [] },
    };
    const connect = async (which: 'A' | 'B', pod: string): Promise<InstanceType<typeof Centrifuge>> => {
      const forward = await network.forwardToPod(namespace, pod, PORT);
      const sdk = new Centrifuge('ws://unused/connection/websocket', {
        websocket: pinnedThenService(forward.port, () => service.port),
        token: await hs256Token({ sub: `user-${which}` }, { expInSeconds: 600, secret: hmac }),
        minReconnectDelay: 100,
        maxReconnectDelay: 1_000,
      });
      sdkClients.push(sdk);
      const sub = sdk.newSubscription(CHANNEL);
      sub.on('subscribed', (ctx) => received[which].subscribed.push({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }));
      sub.on('publication', (ctx) => {
        received[which].offsets.push(Number(ctx.offset));
        received[which].data.push(ctx.data);
      });
      sdk.connect();
      sub.subscribe();
      await sub.ready(30_000);
      return sdk;
    };
    const clientA = await connect('A', nameA);
    await connect('B', nameB);

    // One publication through the HTTP API (whichever node the Service picks) reaches both pods' clients.
    await api(service.port, apiKey, 'publish', { channel: CHANNEL, data: { n: 1 } });
    await pollUntil(async () => (received.A.data.length >= 1 && received.B.data.length >= 1 ? true : undefined), {
      what: 'publication 1 on clients of pods A and B',
      timeoutMs: 30_000,
    });
    expect(received.A.data).toEqual([{ n: 1 }]);
    expect(received.B.data).toEqual([{ n: 1 }]);

    // Pod A goes; its client is disconnected, reconnects through the Service and recovers what it missed.
    let disconnectedA = false;
    clientA.on('disconnected', () => (disconnectedA = true));
    clientA.on('connecting', () => (disconnectedA = true));
    await core.deleteNamespacedPod({ namespace, name: nameA });
    await pollUntil(async () => (disconnectedA ? true : undefined), { what: 'the client of pod A losing its node', timeoutMs: 60_000 });
    for (let n = 2; n <= 6; n++) await api(service.port, apiKey, 'publish', { channel: CHANNEL, data: { n } });
    await pollUntil(async () => (received.A.data.length >= 6 && received.B.data.length >= 6 ? true : undefined), {
      what: 'publications 2..6 on both clients (client A by recovery)',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    // Client A resubscribed on another node and asked for, and got, recovery from the stream position it had.
    expect(received.A.subscribed.slice(1).at(-1)).toEqual({ wasRecovering: true, recovered: true });
    for (const which of ['A', 'B'] as const) {
      expect(received[which].data).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
      // Offsets are consecutive: nothing was missed, nothing delivered twice.
      const first = received[which].offsets[0] ?? 0;
      expect(received[which].offsets).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));
    }

    // Scale to 3 nodes through the resource: the third node joins the cluster that /api/info describes.
    await client.mergePatch(clusterPath(), { spec: { nodes: { replicas: 3 } } });
    const three = await readyPods('node', 3);
    const names = three.map((p) => p.metadata?.name ?? '').sort();
    await pollUntil(
      async () => {
        const info = await api<{ nodes: { name: string }[] }>(service.port, apiKey, 'info', {});
        const listed = info.nodes.map((n) => n.name).sort();
        return JSON.stringify(listed) === JSON.stringify(names) ? true : undefined;
      },
      { what: `/api/info listing the three node pods ${names.join(', ')}`, timeoutMs: 60_000, intervalMs: 500 },
    );
    await service.close();
  });
});

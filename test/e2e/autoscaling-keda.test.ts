// Two autoscalers must never fight over one RealtimeCluster: with spec.autoscaling.provider KEDA the operator
// creates no HorizontalPodAutoscaler, deletes the one it made before the switch, leaves KEDA's own HPA alone, and
// follows scaling through the scale subresource as KEDA does it. Checked on the real control plane, with the HPA
// list sampled continuously while the operator reconciles (short resync) and the spec changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { KubeObject } from '../../src/kube/kube-object.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';

interface Hpa extends KubeObject {
  spec: { scaleTargetRef: { apiVersion: string; kind: string; name: string }; minReplicas?: number; maxReplicas: number };
}

describe('autoscaling by KEDA', () => {
  let env: OperatorEnv;
  let namespace: string;
  const hpasPath = () => `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`;
  const listHpas = async () => (await env.client.get<{ items: Hpa[] }>(hpasPath())).items;
  const deploymentReplicas = async (name: string) =>
    (await env.client.get<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)).spec.replicas;

  /** Samples the HPAs every 100 ms while `during` runs; returns every name seen with the kind of its owner. */
  async function sampleHpas(during: () => Promise<void>): Promise<Set<string>> {
    const seen = new Set<string>();
    let running = true;
    const sampler = (async () => {
      while (running) {
        for (const hpa of await listHpas()) seen.add(`${hpa.metadata.name} owner=${hpa.metadata.ownerReferences?.[0]?.kind ?? 'none'}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await during();
    } finally {
      running = false;
      await sampler;
    }
    return seen;
  }

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'keda');
    namespace = env.namespace;
    await env.startOperator('keda').opsPort();
  });
  afterAll(() => env?.cleanup());

  it('a cluster created with KEDA never gets an HPA from the operator', async () => {
    const seen = await sampleHpas(async () => {
      await env.client.request('POST', `/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters`, {
        body: {
          apiVersion: 'ringcast.dev/v1alpha1',
          kind: 'RealtimeCluster',
          metadata: { name: 'feed' },
          spec: { redis: { managed: { shards: 1 } }, autoscaling: { enabled: true, provider: 'KEDA', minReplicas: 2, maxReplicas: 6 } },
        },
      });
      await pollUntil(async () => ((await deploymentReplicas('feed-node').catch(() => 0)) === 2 ? true : undefined), {
        what: 'Deployment feed-node',
        timeoutMs: WAIT_MS,
      });
      // Several resyncs (2 s each) and a spec change the HPA provider would turn into an HPA update.
      await env.client.mergePatch(clusterPath(namespace, 'feed'), { spec: { autoscaling: { maxReplicas: 8, targetConnectionsPerNode: 100 } } });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
    });
    expect([...seen]).toEqual([]);
  });

  it('switching HPA → KEDA deletes the operator’s HPA, keeps KEDA’s, and scaling goes through /scale', async () => {
    await env.client.request('POST', `/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters`, {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: 'events' },
        spec: { redis: { managed: { shards: 1 } }, autoscaling: { enabled: true, provider: 'HPA', minReplicas: 2, maxReplicas: 6 } },
      },
    });
    const own = await pollUntil(async () => (await listHpas()).find((h) => h.metadata.name === 'events'), { what: 'the operator’s HPA', timeoutMs: WAIT_MS });
    expect(own.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'RealtimeCluster', name: 'events', controller: true });

    // What KEDA creates for a ScaledObject named `events`: its own HPA on the same target, owned by the ScaledObject.
    await env.client.request('POST', hpasPath(), {
      body: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'keda-hpa-events', labels: { 'app.kubernetes.io/managed-by': 'keda-operator', 'scaledobject.keda.sh/name': 'events' } },
        spec: {
          scaleTargetRef: { apiVersion: 'ringcast.dev/v1alpha1', kind: 'RealtimeCluster', name: 'events' },
          minReplicas: 1,
          maxReplicas: 10,
          metrics: [
            {
              type: 'External',
              external: {
                metric: { name: 's0-prometheus', selector: { matchLabels: { 'scaledobject.keda.sh/name': 'events' } } },
                target: { type: 'AverageValue', averageValue: '5k' },
              },
            },
          ],
        },
      },
    });

    await env.client.mergePatch(clusterPath(namespace, 'events'), { spec: { autoscaling: { provider: 'KEDA' } } });
    await pollUntil(async () => ((await listHpas()).some((h) => h.metadata.name === 'events') ? undefined : true), {
      what: 'the operator’s HPA deleted',
      timeoutMs: WAIT_MS,
    });
    // From here on only KEDA's HPA may exist: KEDA scales through the scale subresource, the operator follows
    // and creates nothing, across resyncs.
    const seen = await sampleHpas(async () => {
      await env.client.mergePatch(`${clusterPath(namespace, 'events')}/scale`, { spec: { replicas: 4 } });
      await pollUntil(async () => ((await deploymentReplicas('events-node')) === 4 ? true : undefined), { what: 'events-node at 4', timeoutMs: WAIT_MS });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
    });
    expect([...seen]).toEqual(['keda-hpa-events owner=none']);
    const remaining = await listHpas();
    expect(remaining.map((h) => h.metadata.name)).toEqual(['keda-hpa-events']);
    expect(remaining[0]?.spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
  });
});

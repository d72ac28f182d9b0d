// Two operator processes on one Lease: one leads and reconciles, the other waits; after `kill -9` of the leader
// the other takes the lease once it has gone a lease duration without renewal, and carries on with the same
// children (nothing created twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { KubeObject } from '../../src/kube/kube-object.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { adminKubeConfig } from '../helpers/kube-test-context.js';
import type { OperatorProcess } from '../helpers/operator-process.js';
import { WAIT_MS, clusterPath, fastOperatorArgs, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';

const LEASE_SECONDS = 6;
const RETRY_SECONDS = 1;
const leaseArgs = [...fastOperatorArgs, '--lease-duration', `${LEASE_SECONDS}s`, '--renew-deadline', '4s', '--retry-period', `${RETRY_SECONDS}s`];

interface Lease extends KubeObject {
  spec: { holderIdentity?: string; leaseTransitions?: number };
}

async function metric(operator: OperatorProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${await operator.opsPort()}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('leader election between two operator processes', () => {
  let env: OperatorEnv;
  let namespace: string;

  beforeAll(async () => {
    env = await setUpOperatorEnv(adminKubeConfig(), 'operator-leader');
    namespace = env.namespace;
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  const lease = () => env.client.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/ringcast-operator`);

  const children = async (): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    const collections = [
      '/api/v1/namespaces/NS/secrets', '/api/v1/namespaces/NS/configmaps', '/api/v1/namespaces/NS/serviceaccounts',
      '/api/v1/namespaces/NS/services', '/apis/apps/v1/namespaces/NS/deployments', '/apis/apps/v1/namespaces/NS/statefulsets',
      '/apis/policy/v1/namespaces/NS/poddisruptionbudgets', '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
    ];
    for (const collection of collections) {
      const list = await env.client.get<{ items: KubeObject[] }>(collection.replace('NS', namespace), {
        labelSelector: 'app.kubernetes.io/managed-by=ringcast-operator',
      });
      for (const item of list.items) out.set(`${collection.split('/').pop()}/${item.metadata.name}`, item.metadata.uid ?? '');
    }
    return out;
  };

  it('one leads, the other takes over within the lease duration after kill -9, and nothing is created twice', async () => {
    const a = env.startOperator('operator-a', leaseArgs);
    const b = env.startOperator('operator-b', leaseArgs);
    await Promise.all([a.opsPort(), b.opsPort()]);
    const first = await pollUntil(async () => (await lease()).spec.holderIdentity || undefined, { what: 'a leader', timeoutMs: WAIT_MS });
    const [leader, follower] = first === 'operator-a' ? [a, b] : [b, a];
    expect(await metric(leader, 'ringcast_operator_is_leader')).toBe(1);
    expect(await metric(follower, 'ringcast_operator_is_leader')).toBe(0);

    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: { apiVersion: 'ringcast.dev/v1alpha1', kind: 'RealtimeCluster', metadata: { name: 'chat' }, spec: {} },
    });
    const before = await pollUntil(async () => ((await children()).size === 11 ? children() : undefined), {
      what: 'the 11 children of a minimal cluster',
      timeoutMs: WAIT_MS,
    });
    expect(await metric(leader, 'ringcast_operator_applies_total')).toBeGreaterThan(0);
    expect(await metric(follower, 'ringcast_operator_applies_total')).toBe(0);
    expect(await metric(follower, 'ringcast_operator_reconciles_total')).toBe(0);

    // Let the leader renew once more, then kill it without a chance to release the lease.
    const transitions = (await lease()).spec.leaseTransitions ?? 0;
    leader.kill9();
    const killedAt = Date.now();
    await pollUntil(async () => ((await lease()).spec.holderIdentity === follower.identity ? true : undefined), {
      what: `${follower.identity} holding the lease`,
      timeoutMs: WAIT_MS,
      intervalMs: 50,
    });
    const takeoverMs = Date.now() - killedAt;
    console.log(`takeover after kill -9: ${takeoverMs} ms (lease duration ${LEASE_SECONDS} s, retry period ${RETRY_SECONDS} s)`);
    // The follower waits a full lease duration from the last renewal it saw, and notices within one retry period.
    expect(takeoverMs).toBeLessThanOrEqual((LEASE_SECONDS + RETRY_SECONDS) * 1000 + 1000);
    expect((await lease()).spec.leaseTransitions).toBe(transitions + 1);
    await pollUntil(async () => ((await metric(follower, 'ringcast_operator_is_leader')) === 1 ? true : undefined), {
      what: 'the new leader reporting it',
      timeoutMs: WAIT_MS,
    });

    // The new leader follows changes, with the same children (same UIDs, none duplicated).
    await env.client.mergePatch(clusterPath(namespace, 'chat'), { spec: { nodes: { replicas: 3 } } });
    await pollUntil(
      async () => {
        const d = await env.client.get<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${namespace}/deployments/chat-node`);
        return d.spec.replicas === 3 ? true : undefined;
      },
      { what: 'the new leader scaling the nodes', timeoutMs: WAIT_MS },
    );
    expect(await children()).toEqual(before);
  });
});

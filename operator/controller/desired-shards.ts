import type { ClusterRef } from '../builders/cluster-ref.js';
import { redisShardName } from '../builders/names.js';
import { managedShardAddress } from '../builders/redis-service.js';
import { LABEL_COMPONENT, LABEL_INSTANCE } from '../builders/labels.js';
import type { DesiredShard } from '../status/ring.js';
import { podReady, type PodObject } from './pods.js';
import type { ReconcileContext } from './reconcile-context.js';

export interface ShardView {
  shards: DesiredShard[];
  /** Where a person looks when shards are not ready (for condition messages). */
  hint: string;
}

/** The shards the spec wants, in ring order, with their readiness now. */
export function desiredShards(ctx: ReconcileContext, cluster: ClusterRef): ShardView {
  const { managed, external } = cluster.spec.redis;
  if (external) {
    ctx.prober.watch(`${cluster.namespace}/${cluster.name}`, external.addresses);
    return {
      shards: external.addresses.map((address) => ({ name: address, address, ready: ctx.prober.ready(address) === true })),
      hint: 'external shards answer a Redis PING from the operator when ready; check the addresses and the network path',
    };
  }
  ctx.prober.unwatch(`${cluster.namespace}/${cluster.name}`);
  const count = managed?.shards ?? 1;
  const shards: DesiredShard[] = [];
  for (let index = 0; index < count; index++) {
    const name = redisShardName(cluster.name, index);
    const pod = ctx.children.Pod.get(cluster.namespace, name) as PodObject | undefined;
    const ours = pod?.metadata.labels?.[LABEL_INSTANCE] === cluster.name && pod.metadata.labels?.[LABEL_COMPONENT] === 'redis';
    shards.push({
      name,
      address: managedShardAddress(cluster, index, ctx.options.clusterDomain),
      ready: ours && podReady(pod),
    });
  }
  return {
    shards,
    hint: `kubectl get pods -n ${cluster.namespace} -l ${LABEL_INSTANCE}=${cluster.name},${LABEL_COMPONENT}=redis`,
  };
}

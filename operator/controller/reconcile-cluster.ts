import { isPlainObject, type RawObject } from '../../src/config/raw-tree.js';
import type { KubeObject } from '../../src/kube/kube-object.js';
import { RTC_API_VERSION, RTC_KIND } from '../../src/kube/realtime-cluster-api.js';
import { parseSpec, parseStatus } from '../../src/kube/realtime-cluster.js';
import { buildAutoscaler } from '../builders/autoscaler.js';
import { buildClientService } from '../builders/client-service.js';
import type { ClusterRef } from '../builders/cluster-ref.js';
import { buildNodeDisruptionBudget, buildRedisDisruptionBudget } from '../builders/disruption-budgets.js';
import { selectorLabels, selectorString } from '../builders/labels.js';
import { childNames } from '../builders/names.js';
import { buildNodeConfig, metricsPath } from '../builders/node-config.js';
import { buildNodeConfigMap } from '../builders/node-configmap.js';
import { buildNodeDeployment } from '../builders/node-deployment.js';
import { buildNodeRole, buildNodeRoleBinding, buildNodeServiceAccount } from '../builders/node-rbac.js';
import { buildRedisService } from '../builders/redis-service.js';
import { buildRedisStatefulSet } from '../builders/redis-statefulset.js';
import { buildStatus, type NodeCounts, type Problem } from '../status/build-status.js';
import { nextRing } from '../status/ring.js';
import { applyChild, deleteChild } from './apply-child.js';
import { writeStatus } from './cluster-status.js';
import { ensureCredentials } from './credentials.js';
import { markDeletionCosts } from './deletion-cost.js';
import { desiredShards } from './desired-shards.js';
import type { EventTarget } from './event-recorder.js';
import { componentPods } from './pods.js';
import type { ReconcileContext } from './reconcile-context.js';
import type { ProcessResult } from './work-queue.js';

interface DeploymentObject extends KubeObject {
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; updatedReplicas?: number };
}

function configString(config: RawObject | undefined, section: string, key: string, fallback: string): string {
  const part = config?.[section];
  const value = isPlainObject(part) ? part[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function nodeCounts(deployment: DeploymentObject | undefined, desired: number): NodeCounts {
  const status = deployment?.status ?? {};
  return {
    desired,
    current: status.replicas ?? 0,
    ready: status.readyReplicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    rolloutObserved:
      deployment !== undefined &&
      (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) &&
      deployment.spec?.replicas === desired,
  };
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Brings one RealtimeCluster's children and status in line with its spec. Idempotent: it can be cut short at any
 * point (every child is applied whole, with its owner reference) and run again.
 */
export async function reconcileCluster(ctx: ReconcileContext, key: string): Promise<ProcessResult> {
  const slash = key.indexOf('/');
  const namespace = key.slice(0, slash);
  const name = key.slice(slash + 1);
  const obj = ctx.clusters.get(namespace, name);
  if (!obj || obj.metadata.deletionTimestamp) {
    ctx.prober.unwatch(key);
    return {};
  }
  const log = ctx.logger.child({ namespace, name });
  const target: EventTarget = { apiVersion: RTC_API_VERSION, kind: RTC_KIND, name, namespace, uid: obj.metadata.uid ?? '' };
  const generation = obj.metadata.generation ?? 0;
  const previous = parseStatus(obj);
  const names = childNames(name);
  const nodeSelector = selectorString(selectorLabels(name, 'node'));

  const parsed = parseSpec(obj);
  if (!parsed.ok) {
    log.warn({ problem: parsed.message }, 'spec cannot be read');
    ctx.recorder.record(target, 'Warning', 'InvalidSpec', 'Reconcile', parsed.message);
    return {};
  }
  const cluster: ClusterRef = { name, namespace, uid: obj.metadata.uid ?? '', spec: parsed.spec };
  const { spec } = cluster;
  const problems: Problem[] = [];
  let failure: unknown;

  try {
    const credentials = await ensureCredentials(ctx, cluster);
    if (credentials.generated.length > 0) {
      ctx.recorder.record(target, 'Normal', 'CredentialsGenerated', 'Reconcile',
        `generated ${credentials.generated.join(', ')} in Secret ${credentials.secret}; the operator never changes them afterwards`);
    }
  } catch (error) {
    failure ??= error;
    problems.push({ reason: 'CredentialsFailed', message: `could not create the credentials Secret ${names.credentials}: ${errorMessage(error)}` });
  }

  const nodeConfig = buildNodeConfig(cluster);
  if (!nodeConfig.ok) {
    const message = `spec.config.${nodeConfig.key}: ${nodeConfig.reason}; running nodes keep the last valid configuration`;
    problems.push({ reason: 'ConfigInvalid', message });
    ctx.recorder.record(target, 'Warning', 'ConfigInvalid', 'Reconcile', message);
  } else if (nodeConfig.warnings.length > 0) {
    ctx.recorder.record(target, 'Warning', 'ConfigWarning', 'Reconcile', nodeConfig.warnings.join('; '));
  }
  const image = spec.image || ctx.options.nodeImage;
  if (!image) {
    problems.push({ reason: 'NoImage', message: 'spec.image is empty and the operator was started without --node-image; set spec.image' });
  }

  const shardView = desiredShards(ctx, cluster);
  const ring = nextRing(previous?.ring, shardView.shards);
  const managed = spec.redis.managed;

  const desired: KubeObject[] = [];
  if (nodeConfig.ok) desired.push(buildNodeConfigMap(cluster, nodeConfig.config) as KubeObject);
  desired.push(
    buildNodeServiceAccount(cluster) as KubeObject,
    buildNodeRole(cluster) as KubeObject,
    buildNodeRoleBinding(cluster) as KubeObject,
  );
  if (managed) {
    const replicas = Math.max(managed.shards, previous?.ring?.size ?? 0, ring.ring?.size ?? 0);
    desired.push(
      buildRedisService(cluster) as KubeObject,
      buildRedisStatefulSet({ cluster, managed, replicas }) as KubeObject,
      buildRedisDisruptionBudget(cluster) as KubeObject,
    );
  }
  desired.push(buildClientService(cluster) as KubeObject);
  const liveDeployment = ctx.children.Deployment.get(namespace, names.nodeDeployment) as DeploymentObject | undefined;
  if (nodeConfig.ok && image) {
    desired.push(buildNodeDeployment({ cluster, image, config: nodeConfig.config, restartHash: nodeConfig.restartHash }) as KubeObject);
    const from = liveDeployment?.spec?.replicas ?? 0;
    if (liveDeployment && from > spec.nodes.replicas) {
      try {
        const loads = await markDeletionCosts(ctx, cluster, metricsPath(spec));
        const ranking = loads.map((l) => `${l.pod} (${l.connections ?? 'unknown'})`).join(', ');
        ctx.recorder.record(target, 'Normal', 'ScalingDown', 'ScaleNodes',
          `nodes ${from} → ${spec.nodes.replicas}; pods with the fewest connections go first: ${ranking}`);
      } catch (error) {
        log.warn({ err: error }, 'could not mark pod deletion costs; scaling down anyway');
      }
    }
  }
  desired.push(buildNodeDisruptionBudget(cluster) as KubeObject);
  const autoscaler = buildAutoscaler(cluster);
  if (autoscaler) desired.push(autoscaler as KubeObject);

  for (const child of desired) {
    const { kind = '' } = child;
    try {
      const outcome = await applyChild(ctx, child);
      if (outcome === 'created') {
        ctx.recorder.record(target, 'Normal', 'Created', 'Reconcile', `created ${kind} ${child.metadata.name}`);
      } else if (outcome === 'updated') {
        log.info({ kind, child: child.metadata.name }, 'updated child');
      }
    } catch (error) {
      failure ??= error;
      problems.push({ reason: 'ApplyFailed', message: `applying ${kind} ${child.metadata.name} failed: ${errorMessage(error)}` });
      log.warn({ err: error, kind, child: child.metadata.name }, 'apply failed');
    }
  }

  const unwanted: [string, string][] = [];
  if (!managed) unwanted.push(['StatefulSet', names.redisStatefulSet], ['Service', names.redisService], ['PodDisruptionBudget', names.redisDisruptionBudget]);
  if (!autoscaler) unwanted.push(['HorizontalPodAutoscaler', names.autoscaler]);
  for (const [kind, childName] of unwanted) {
    try {
      if (await deleteChild(ctx, kind, namespace, childName)) {
        ctx.recorder.record(target, 'Normal', 'Deleted', 'Reconcile', `deleted ${kind} ${childName}: the spec no longer asks for it`);
      }
    } catch (error) {
      failure ??= error;
      problems.push({ reason: 'DeleteFailed', message: `deleting ${kind} ${childName} failed: ${errorMessage(error)}` });
    }
  }

  if (ring.changed && ring.ring) {
    const detail = ring.removed.length > 0 ? `removed ${ring.removed.join(', ')}` : `added ${ring.appended.join(', ')}`;
    ctx.recorder.record(target, 'Normal', 'RingPublished', 'PublishRing', `ring v${ring.ring.version} with ${ring.ring.size} shards (${detail})`);
    log.info({ version: ring.ring.version, shards: ring.ring.shards.map((s) => s.name) }, 'ring published');
  }

  const nodePods = componentPods(ctx.children.Pod.list(namespace), namespace, name, 'node');
  let connections: number | undefined;
  for (const pod of nodePods) {
    const count = ctx.scraper.connections(pod.metadata.uid ?? '');
    if (count !== undefined) connections = (connections ?? 0) + count;
  }
  const host = `${names.clientService}.${namespace}.svc.${ctx.options.clusterDomain}:${spec.service.port}`;
  const config = nodeConfig.ok ? nodeConfig.config : undefined;
  const status = buildStatus({
    generation,
    previous,
    ring,
    shardHint: shardView.hint,
    nodeSelector,
    nodes: nodeCounts(liveDeployment, spec.nodes.replicas),
    connections,
    endpoints: {
      websocket: `ws://${host}${configString(config, 'websocket', 'handler_prefix', '/connection/websocket')}`,
      api: `http://${host}${configString(config, 'http_api', 'handler_prefix', '/api')}`,
      ...(spec.secrets?.tokenHmacSecretKey && spec.secrets.apiKey && !managed ? {} : { credentialsSecret: names.credentials }),
    },
    problems,
    now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  await writeStatus(ctx, namespace, name, obj.status, status);
  if (failure) throw failure;
  return {};
}

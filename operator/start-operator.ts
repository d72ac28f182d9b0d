import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Informer, type RestartReason } from '../src/kube/informer.js';
import { KubeClient } from '../src/kube/kube-client.js';
import { objectKey, type KubeObject } from '../src/kube/kube-object.js';
import { realtimeClustersPath } from '../src/kube/realtime-cluster-api.js';
import { parseSpec, parseStatus, type RealtimeClusterObject } from '../src/kube/realtime-cluster.js';
import { metricsPath } from './builders/node-config.js';
import { LABEL_INSTANCE, managedBySelector } from './builders/labels.js';
import { KINDS, collectionPath, type KindName } from './controller/child-kinds.js';
import { EventRecorder } from './controller/event-recorder.js';
import { componentPods, podReady, podUrl } from './controller/pods.js';
import type { ReconcileContext } from './controller/reconcile-context.js';
import { reconcileCluster } from './controller/reconcile-cluster.js';
import { WorkQueue } from './controller/work-queue.js';
import { startOpsServer, type OpsServer } from './http/ops-server.js';
import { LeaderElector } from './leader/leader-election.js';
import { ExternalShardProber } from './observe/external-shard-prober.js';
import { NodeScraper, type ScrapeTarget } from './observe/node-scraper.js';
import { OperatorMetrics } from './observability/operator-metrics.js';
import type { OperatorOptions } from './operator-options.js';

export interface RunningOperator {
  readonly opsPort: number;
  /** Resolves when the operator must exit (it lost the leader lease); the value is the exit code. */
  readonly fatal: Promise<number>;
  stop(): Promise<void>;
}

export function loadOperatorKubeConfig(kubeconfig: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromCluster();
  return kc;
}

/**
 * Starts the operator: informers on RealtimeClusters and every kind it owns, the work queue (run only while this
 * process leads), the observers (node connection counts, external shard PINGs) and the ops endpoints.
 */
export async function startOperator(options: OperatorOptions, logger: Logger, kubeConfig: KubeConfig): Promise<RunningOperator> {
  const client = new KubeClient(kubeConfig);
  const metrics = new OperatorMetrics();
  let resolveFatal: (code: number) => void = () => {};
  const fatal = new Promise<number>((resolve) => (resolveFatal = resolve));

  const informerOptions = (kind: string) => ({
    client,
    logger: logger.child({ informer: kind }),
    watchTimeoutSeconds: options.watchTimeoutSeconds,
    watchdogGraceMs: options.watchdogGraceMs,
    onRestart: (reason: RestartReason) => metrics.informerRestarts.inc({ kind, reason }),
  });
  const clusters = new Informer<RealtimeClusterObject>({
    ...informerOptions('RealtimeCluster'),
    path: realtimeClustersPath(options.watchNamespace),
  });
  const children = Object.fromEntries(
    (Object.keys(KINDS) as KindName[]).map((kind) => [
      kind,
      new Informer<KubeObject>({
        ...informerOptions(kind),
        path: collectionPath(KINDS[kind], options.watchNamespace),
        labelSelector: managedBySelector,
        metadataOnly: kind === 'Secret',
      }),
    ]),
  ) as Record<KindName, Informer<KubeObject>>;

  // Observers and informers call this only after the queue below exists.
  const enqueue = (key: string): void => queue.add(key);

  const scraper = new NodeScraper({
    intervalMs: options.scrapeIntervalMs,
    timeoutMs: Math.min(2_000, options.scrapeIntervalMs),
    logger: logger.child({ component: 'scraper' }),
    targets: () => scrapeTargets(),
    onChange: (keys) => keys.forEach(enqueue),
  });
  const prober = new ExternalShardProber({
    intervalMs: options.probeIntervalMs,
    timeoutMs: Math.min(2_000, options.probeIntervalMs),
    logger: logger.child({ component: 'prober' }),
    onChange: (keys) => keys.forEach(enqueue),
  });

  function scrapeTargets(): ScrapeTarget[] {
    const targets: ScrapeTarget[] = [];
    for (const cluster of clusters.list()) {
      const namespace = cluster.metadata.namespace ?? '';
      const parsed = parseSpec(cluster);
      if (!parsed.ok) continue;
      const port = parsed.spec.nodes.port;
      const path = metricsPath(parsed.spec);
      for (const pod of componentPods(children.Pod.list(namespace), namespace, cluster.metadata.name, 'node')) {
        const url = podReady(pod) ? podUrl(pod, port, path) : undefined;
        if (url && pod.metadata.uid) targets.push({ uid: pod.metadata.uid, name: pod.metadata.name, cluster: objectKey(cluster), url });
      }
    }
    return targets;
  }

  metrics.reportClusters(() =>
    clusters.list().flatMap((cluster) => {
      const parsed = parseSpec(cluster);
      if (!parsed.ok) return [];
      const status = parseStatus(cluster);
      return [
        {
          namespace: cluster.metadata.namespace ?? '',
          name: cluster.metadata.name,
          desiredNodes: parsed.spec.nodes.replicas,
          readyNodes: status?.nodes?.ready ?? 0,
          connections: status?.connections ?? 0,
        },
      ];
    }),
  );

  let applies = 0;
  const ctx: ReconcileContext = {
    client,
    clusters,
    children,
    options,
    metrics,
    recorder: new EventRecorder(client, logger, options.leaderElection.identity),
    scraper,
    prober,
    logger,
    noteApply: () => {
      applies++;
      if (options.faultKillAfterApplies !== undefined && applies >= options.faultKillAfterApplies) {
        logger.warn({ applies }, 'fault injection: killing the process after an apply');
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };

  const queue = new WorkQueue({
    process: (key) => reconcileCluster(ctx, key),
    logger,
    concurrency: options.concurrency,
    onDepth: (depth) => metrics.queueDepth.set(depth),
    onResult: (result, ms) => {
      metrics.reconciles.inc({ result });
      if (result === 'error') metrics.reconcileErrors.inc();
      metrics.reconcileDuration.observe(ms / 1000);
    },
  });

  clusters.addHandlers({
    onAdd: (obj) => {
      metrics.clusters.set(clusters.list().length);
      enqueue(objectKey(obj));
    },
    onUpdate: (obj) => enqueue(objectKey(obj)),
    onDelete: (obj) => {
      metrics.clusters.set(clusters.list().length);
      prober.unwatch(objectKey(obj));
    },
  });
  // A child event requeues the cluster it belongs to (by label: pods carry it too, through their templates).
  const toOwner = (obj: KubeObject) => {
    const cluster = obj.metadata.labels?.[LABEL_INSTANCE];
    if (cluster && obj.metadata.namespace) enqueue(`${obj.metadata.namespace}/${cluster}`);
  };
  for (const informer of Object.values(children)) {
    informer.addHandlers({ onAdd: toOwner, onUpdate: toOwner, onDelete: toOwner });
  }

  const informers: Informer<KubeObject>[] = [clusters, ...Object.values(children)];
  for (const informer of informers) informer.start();
  const synced = Promise.all(informers.map((informer) => informer.waitForSync()));
  let allSynced = false;
  void synced.then(() => {
    allSynced = true;
    logger.info('caches synced');
  });

  let resync: NodeJS.Timeout | undefined;
  const startLeading = () => {
    metrics.isLeader.set(1);
    void synced.then(() => {
      for (const cluster of clusters.list()) enqueue(objectKey(cluster));
      queue.start();
      scraper.start();
      prober.start();
      resync = setInterval(() => clusters.list().forEach((c) => enqueue(objectKey(c))), options.resyncMs);
    });
  };

  let elector: LeaderElector | undefined;
  if (options.leaderElection.enabled) {
    elector = new LeaderElector({
      client,
      ...options.leaderElection,
      logger: logger.child({ component: 'leader-election' }),
      onStartedLeading: startLeading,
      onStoppedLeading: () => {
        metrics.isLeader.set(0);
        resolveFatal(1);
      },
      onNewLeader: (identity) => logger.info({ leader: identity }, 'leader observed'),
    });
    elector.start();
  } else {
    startLeading();
  }

  let ops: OpsServer;
  try {
    ops = await startOpsServer({
      host: options.opsHost,
      port: options.opsPort,
      registry: metrics.registry,
      unhealthy: () => null,
      notReady: () => (allSynced ? null : 'informer caches are not synced yet'),
    });
  } catch (error) {
    await Promise.all(informers.map((informer) => informer.stop()));
    await elector?.stop();
    throw error;
  }
  logger.info(
    { opsPort: ops.port, watchNamespace: options.watchNamespace ?? '(all)', identity: options.leaderElection.identity },
    'operator started',
  );

  return {
    opsPort: ops.port,
    fatal,
    async stop() {
      if (resync) clearInterval(resync);
      scraper.stop();
      prober.stop();
      await queue.stop();
      await elector?.stop();
      await Promise.all(informers.map((informer) => informer.stop()));
      await ops.close();
      logger.info('operator stopped');
    },
  };
}

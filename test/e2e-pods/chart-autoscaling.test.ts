// The chart on real pods, the user's way: `helm install` runs the operator pod from the project's image, the
// RealtimeCluster from values gets running node and Redis pods, `helm test` round-trips a publication from a pod.
// Then the autoscaling loop for real: Prometheus (Debian's) and prometheus-adapter (built from its Go module) run
// inside the cluster's network namespace (pod addresses exist only there), Prometheus scrapes the node pods and the
// operator pod through the chart's PodMonitor and ServiceMonitor, the adapter serves the chart's rule as
// custom.metrics.k8s.io to the API server's aggregation layer, the operator's HPA scales 2 → 3 on SDK connections
// made through the Service, and back down through the drain with every client recovering; every dashboard query
// is evaluated while the cluster carries load; `helm uninstall` leaves nothing behind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CoreV1Api } from '@kubernetes/client-node';
import { Centrifuge, type Subscription } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stringify } from 'yaml';

import { KubeClient } from '../../src/kube/kube-client.js';
import { NODE_IP, PORTS } from '../cluster/local-node-layout.js';
import { namespaceCommand } from '../cluster/node-namespace.js';
import type { Forward } from '../cluster/ns-forwarder.js';
import { openPodNetwork, type PodNetwork } from '../cluster/pod-network.js';
import { createPodsNamespace, keepDiagnosticsOnFailure, podsAdminKubeConfig, podsCluster } from '../cluster/pods-test-context.js';
import { evaluateDashboardQueries } from '../helpers/dashboard-evaluation.js';
import { chartDir, findManifest, helm, parseManifests, type HelmResult } from '../helpers/helm.js';
import { deleteTestNamespace } from '../helpers/kube-namespace.js';
import { startPodDiscovery, type PodDiscovery } from '../helpers/kube-pod-discovery.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { resolveKubeToolPaths } from '../helpers/kube-tools-path.js';
import { registerCustomMetricsApi, startPrometheusAdapter, unregisterCustomMetricsApi, type AdapterProcess } from '../helpers/prometheus-adapter-process.js';
import { startPrometheus, type PrometheusProcess } from '../helpers/prometheus-process.js';
import { podMonitorScrapeConfigs, serviceMonitorScrapeConfigs } from '../helpers/prometheus-scrape-config.js';
import { formatTimeline, type ScalingSample } from '../helpers/scaling-timeline.js';
import { hs256Token } from '../helpers/tokens.js';

const WAIT_MS = 180_000;
const RELEASE = 'rc';
const CLUSTER = 'chat';
const PORT = 8000;
const TARGET = 20;
const HPA_SYNC_MS = 15_000;
const BASELINE = 12;
const SURGE = 50;
const CHANNELS = 6;
/** Ports inside the cluster's network namespace (nothing else listens there on them). */
const PROMETHEUS_LISTEN = '127.0.0.1:19090';
const ADAPTER_PORT = 18443;

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

interface Tracked {
  client: Centrifuge;
  sub: Subscription;
  channel: string;
  offsets: number[];
  disconnects: number[];
  recoveries: boolean[];
}

const info = podsCluster();
const local = info.provider === 'local' && info.nsPid !== undefined;
let client: KubeClient;
let namespace = '';
let network: PodNetwork;
let dir = '';
let installed = false;
const helmPath = info.kubeToolsDir ? join(info.kubeToolsDir, 'helm') : resolveKubeToolPaths(process.env).helm;
const run = (args: string[], timeoutMs = WAIT_MS): Promise<HelmResult> => helm(args, { kubeconfig: info.adminKubeconfigPath, helmPath, timeoutMs });

keepDiagnosticsOnFailure(() => podsAdminKubeConfig(), () => (namespace ? [namespace] : []));

const isReady = (pod: PodJson): boolean =>
  !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function pods(component: string): Promise<PodJson[]> {
  const list = await client.get<{ items: PodJson[] }>(`/api/v1/namespaces/${namespace}/pods`, {
    labelSelector: `app.kubernetes.io/instance=${CLUSTER},app.kubernetes.io/component=${component}`,
  });
  return list.items;
}

function readyPodsOf(component: string, count: number): Promise<PodJson[]> {
  return pollUntil(
    async () => {
      const live = (await pods(component)).filter((p) => !p.metadata.deletionTimestamp);
      return live.length === count && live.every(isReady) ? live : undefined;
    },
    { what: `${count} Ready ${component} pod(s)`, timeoutMs: WAIT_MS, intervalMs: 500 },
  );
}

/** The chart's values for this run: the local images, one namespace, fast operator timings, the cluster. */
function values(): Record<string, unknown> {
  const image = info.images.ringcast;
  const colon = image.lastIndexOf(':');
  return {
    image: { repository: image.slice(0, colon), tag: image.slice(colon + 1), pullPolicy: 'IfNotPresent' },
    operator: { watchNamespace: namespace, scrapeInterval: '2s', resync: '10s', extraArgs: ['--watch-timeout', '5s'] },
    cluster: {
      name: CLUSTER,
      spec: {
        nodes: { replicas: 2, drain: { window: '4s', preStopDelay: '1s' } },
        redis: { managed: { shards: 2, image: info.images.redis } },
        autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 3, targetConnectionsPerNode: TARGET, scaleDownStabilizationWindowSeconds: 0 },
        config: {
          channel: {
            namespaces: [
              { name: 'chat', presence: true, history_size: 1000, history_ttl: '300s', force_recovery: true, allow_subscribe_for_client: true, allow_publish_for_subscriber: true },
            ],
          },
        },
      },
    },
    tests: { timeout: '90s' },
  };
}

beforeAll(async () => {
  const kc = podsAdminKubeConfig();
  client = new KubeClient(kc);
  namespace = await createPodsNamespace(kc, 'chart');
  network = openPodNetwork(info, kc);
  dir = mkdtempSync(join(tmpdir(), 'ringcast-chart-pods-'));
  writeFileSync(join(dir, 'values.yaml'), stringify(values()));
}, WAIT_MS);

afterAll(async () => {
  if (installed) await run(['uninstall', RELEASE, '--namespace', namespace, '--wait']);
  network?.close();
  if (namespace) await deleteTestNamespace(podsAdminKubeConfig(), namespace);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, WAIT_MS);

describe('the Helm chart on real pods', () => {
  it('helm install → operator pod Ready → the RealtimeCluster from values runs node and Redis pods → helm test passes', async () => {
    const install = await run(['install', RELEASE, chartDir, '--namespace', namespace, '-f', join(dir, 'values.yaml'), '--wait', '--timeout', '5m']);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    installed = true;
    expect(install.stdout).toContain('STATUS: deployed');

    const operatorPods = await client.get<{ items: PodJson[] }>(`/api/v1/namespaces/${namespace}/pods`, {
      labelSelector: `app.kubernetes.io/name=ringcast-operator,app.kubernetes.io/instance=${RELEASE}`,
    });
    expect(operatorPods.items.filter(isReady)).toHaveLength(1);
    await readyPodsOf('redis', 2);
    await readyPodsOf('node', 2);
    await pollUntil(
      async () => {
        const rtc = await client.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters/${CLUSTER}`);
        return rtc.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
      },
      { what: `RealtimeCluster ${CLUSTER} Ready`, timeoutMs: WAIT_MS },
    );

    // The test pod is deleted once it succeeds (hook-succeeded), so `helm test --logs` cannot read it afterwards:
    // its log is read here while helm waits.
    const core = podsAdminKubeConfig().makeApiClient(CoreV1Api);
    let podLog = '';
    let watching = true;
    const logWatcher = (async () => {
      while (watching) {
        const text = await core.readNamespacedPodLog({ namespace, name: `${RELEASE}-ringcast-test-roundtrip` }).catch(() => undefined);
        if (typeof text === 'string' && text.length > podLog.length) podLog = text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const test = await run(['test', RELEASE, '--namespace', namespace, '--timeout', '3m']);
    watching = false;
    await logWatcher;
    console.log(`${test.stdout}\ntest pod log: ${podLog || '(gone before it could be read)'}`);
    expect(test.stderr).toBe('');
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/TEST SUITE:\s+rc-ringcast-test-roundtrip[\s\S]*Phase:\s+Succeeded/);
    if (podLog) expect(podLog).toMatch(/roundtrip ok: connected and subscribed to ringcast-helm-test in \d+ ms; publication came back in \d+ ms/);
  }, 600_000);

  describe.runIf(local)('autoscaling on connections (Prometheus and prometheus-adapter inside the cluster network)', () => {
    let prometheus: PrometheusProcess | undefined;
    let adapter: AdapterProcess | undefined;
    let discovery: PodDiscovery | undefined;
    let service: Forward | undefined;
    let adapterRules = '';
    let hmac = '';
    const podForwards = new Map<string, Promise<Forward>>();
    const tracked: Tracked[] = [];
    const surge: Tracked[] = [];
    const timeline: ScalingSample[] = [];
    let sampling: NodeJS.Timeout | undefined;
    let publishing = false;
    let publisher: Promise<void> | undefined;
    let apiKey = '';
    const started = Date.now();

    const inside = (command: string, args: string[]) => namespaceCommand(info.nsPid ?? 0, command, args);
    const livePods = async (): Promise<PodJson[]> => (await pods('node')).filter((p) => !p.metadata.deletionTimestamp);
    const connectionsOf = async (pod: string): Promise<number> => {
      let forward = podForwards.get(pod);
      if (!forward) {
        // A pod not running yet has no address: forget the failed forward so a later call tries again.
        forward = network.forwardToPod(namespace, pod, PORT);
        forward.catch(() => podForwards.delete(pod));
        podForwards.set(pod, forward);
      }
      const text = await (await fetch(`http://127.0.0.1:${(await forward).port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      return Number(/^ringcast_node_connections (\S+)$/m.exec(text)?.[1] ?? NaN);
    };
    const api = async (method: string, body: unknown): Promise<{ error?: { code: number }; result?: Record<string, unknown> }> => {
      const response = await fetch(`http://127.0.0.1:${service!.port}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { error?: { code: number }; result?: Record<string, unknown> };
    };
    const hpa = () =>
      client
        .get<{ status?: { desiredReplicas?: number; currentMetrics?: { pods?: { current?: { averageValue?: string } } }[] } }>(
          `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${CLUSTER}`,
        )
        .catch(() => undefined);
    const specReplicas = async (): Promise<number> =>
      (await client.get<{ spec: { nodes: { replicas: number } } }>(`/apis/ringcast.dev/v1alpha1/namespaces/${namespace}/realtimeclusters/${CLUSTER}`)).spec.nodes.replicas;
    const servedTotal = async (): Promise<{ pods: string[]; total: number } | undefined> => {
      const list = await client
        .get<{ items: { describedObject: { name: string }; value: string }[] }>(`/apis/custom.metrics.k8s.io/v1beta1/namespaces/${namespace}/pods/*/ringcast_node_connections`)
        .catch(() => undefined);
      return list && { pods: list.items.map((i) => i.describedObject.name).sort(), total: list.items.reduce((sum, i) => sum + Number(i.value), 0) };
    };

    async function sample(): Promise<void> {
      const live = await livePods();
      const counts = await Promise.all(live.map((p) => connectionsOf(p.metadata.name).catch(() => 0)));
      const current = await hpa();
      timeline.push({
        t: Math.round((Date.now() - started) / 1000),
        connections: counts.reduce((a, b) => a + b, 0),
        metric: current?.status?.currentMetrics?.[0]?.pods?.current?.averageValue ?? '-',
        hpaDesired: current?.status?.desiredReplicas,
        specReplicas: await specReplicas().catch(() => undefined),
        ready: live.filter(isReady).length,
      });
    }

    async function connectClient(i: number): Promise<Tracked> {
      const sdk = new Centrifuge(`ws://127.0.0.1:${service!.port}/connection/websocket`, {
        websocket: WebSocket,
        token: await hs256Token({ sub: `user-${i}` }, { expInSeconds: 3600, secret: hmac }),
        minReconnectDelay: 200,
        maxReconnectDelay: 2_000,
      });
      const channel = `chat:c${i % CHANNELS}`;
      const sub = sdk.newSubscription(channel);
      const entry: Tracked = { client: sdk, sub, channel, offsets: [], disconnects: [], recoveries: [] };
      sdk.on('connecting', (ctx) => {
        if (ctx.code >= 3000) entry.disconnects.push(ctx.code);
      });
      sub.on('publication', (ctx) => entry.offsets.push(ctx.offset ?? -1));
      sub.on('subscribed', (ctx) => {
        if (ctx.wasRecovering) entry.recoveries.push(ctx.recovered);
      });
      sdk.connect();
      sub.subscribe();
      await sub.ready(30_000);
      tracked.push(entry);
      return entry;
    }

    beforeAll(async () => {
      // The monitors and the adapter rule exactly as the chart renders them for this release (the cluster has no
      // Prometheus Operator CRDs, so they are translated into Prometheus' own configuration here).
      const rendered = parseManifests(
        (
          await run(['template', RELEASE, chartDir, '--namespace', namespace, '-f', join(dir, 'values.yaml'),
            '--set', 'monitoring.serviceMonitor.enabled=true', '--set', 'autoscaling.prometheusAdapterRule.enabled=true'])
        ).stdout,
      );
      adapterRules = (findManifest(rendered, 'ConfigMap', `${RELEASE}-ringcast-prometheus-adapter`)['data'] as Record<string, string>)['config.yaml'] ?? '';
      discovery = await startPodDiscovery(client, [namespace], dir);
      const overrides = {
        interval: '1s',
        namespaces: [namespace],
        discovery: () => ({ kind: 'file_sd_configs' as const, config: { files: [discovery!.file], refresh_interval: '1s' } }),
      };
      const config = {
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          ...podMonitorScrapeConfigs(findManifest(rendered, 'PodMonitor'), overrides),
          ...serviceMonitorScrapeConfigs(findManifest(rendered, 'ServiceMonitor'), findManifest(rendered, 'Service', `${RELEASE}-ringcast-operator-metrics`), overrides),
        ],
      };
      console.log('autoscaling: starting Prometheus inside the cluster network');
      prometheus = await startPrometheus(stringify(config), {
        listen: PROMETHEUS_LISTEN,
        wrap: inside,
        reach: async (listen) => `http://127.0.0.1:${(await network.forwardToAddress!(listen)).port}`,
      });

      // The adapter talks to the API server and to Prometheus by their addresses inside the namespace.
      console.log(`autoscaling: Prometheus up (${prometheus.url} here); starting prometheus-adapter`);
      const kubeconfig = join(dir, 'adapter.kubeconfig');
      writeFileSync(kubeconfig, readFileSync(info.adminKubeconfigPath, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://${NODE_IP}:${PORTS.apiserver}`));
      const serviceName = 'ringcast-custom-metrics';
      adapter = await startPrometheusAdapter({
        kubeconfigPath: kubeconfig,
        prometheusUrl: `http://${PROMETHEUS_LISTEN}`,
        rulesYaml: adapterRules,
        serviceDnsName: `${serviceName}.${namespace}.svc`,
        placement: {
          bindAddress: NODE_IP,
          port: ADAPTER_PORT,
          wrap: inside,
          reach: async (port) => `127.0.0.1:${(await network.forwardToAddress!(`${NODE_IP}:${port}`)).port}`,
        },
      });
      console.log('autoscaling: prometheus-adapter up; registering custom.metrics.k8s.io');
      await registerCustomMetricsApi(client, { namespace, service: serviceName, port: ADAPTER_PORT, caPem: adapter.caPem, externalName: NODE_IP }).catch(
        (error: unknown) => {
          throw new Error(`${(error as Error).message}\n--- adapter log ---\n${adapter?.process.logTail(30)}`);
        },
      );

      service = await network.forwardToService(namespace, CLUSTER, PORT);
      const secret = await client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${CLUSTER}-credentials`);
      hmac = Buffer.from(secret.data['token-hmac-secret-key'] ?? '', 'base64').toString('utf8');
      apiKey = Buffer.from(secret.data['api-key'] ?? '', 'base64').toString('utf8');
      sampling = setInterval(() => void sample().catch(() => undefined), 1_000);
    }, 400_000);

    afterAll(async () => {
      if (sampling) clearInterval(sampling);
      publishing = false;
      await publisher;
      for (const t of tracked) t.client.disconnect();
      await unregisterCustomMetricsApi(client);
      await client.request('DELETE', `/api/v1/namespaces/${namespace}/services/ringcast-custom-metrics`).catch(() => undefined);
      await adapter?.stop();
      await prometheus?.stop();
      await discovery?.close();
      for (const forward of podForwards.values()) await (await forward.catch(() => undefined))?.close();
      await service?.close();
    }, WAIT_MS);

    it('serves ringcast_node_connections per node pod through custom.metrics.k8s.io and the HPA reads it', async () => {
      for (let i = 0; i < BASELINE; i++) await connectClient(i);
      const nodes = (await livePods()).map((p) => p.metadata.name).sort();
      const served = await pollUntil(async () => {
        const s = await servedTotal();
        return s && s.total === BASELINE && s.pods.length === 2 ? s : undefined;
      }, { what: `the custom metric for both node pods summing to ${BASELINE}`, timeoutMs: WAIT_MS });
      expect(served.pods).toEqual(nodes);
      const read = await pollUntil(async () => ((await hpa())?.status?.currentMetrics?.[0]?.pods?.current?.averageValue ? await hpa() : undefined), {
        what: 'the HPA reading the metric',
        timeoutMs: 3 * HPA_SYNC_MS,
      });
      expect(read?.status?.desiredReplicas).toBe(2);
    }, WAIT_MS);

    it('scales 2 → 3 node pods within two HPA sync periods of passing the target; the new node serves clients', async () => {
      publishing = true;
      publisher = (async () => {
        let i = 0;
        while (publishing) {
          await api('publish', { channel: `chat:c${i % CHANNELS}`, data: { n: i } }).catch(() => undefined);
          if (i % 10 === 0) {
            await api('publish', { channel: `nope:c${i}`, data: {} }).catch(() => undefined);
            await api('history', { channel: `chat:c${i % CHANNELS}`, limit: 1 }).catch(() => undefined);
            await api('presence_stats', { channel: `chat:c${i % CHANNELS}` }).catch(() => undefined);
          }
          i++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const before = new Set((await livePods()).map((p) => p.metadata.name));
      for (let i = BASELINE; i < BASELINE + SURGE; i++) surge.push(await connectClient(i));
      const threshold = 2 * TARGET * 1.1;
      const passedAt = await pollUntil(async () => (((await servedTotal())?.total ?? 0) > threshold ? Date.now() : undefined), {
        what: `the served metric passing ${threshold}`,
        timeoutMs: WAIT_MS,
      });
      await pollUntil(async () => ((await specReplicas()) === 3 ? true : undefined), { what: 'the HPA setting spec.nodes.replicas to 3', timeoutMs: 2 * HPA_SYNC_MS });
      console.log(`HPA scaled to 3 ${Math.round((Date.now() - passedAt) / 100) / 10} s after the served metric passed the target`);
      const third = await readyPodsOf('node', 3);
      const added = third.find((p) => !before.has(p.metadata.name))!.metadata.name;

      // New connections through the Service land on the new node too, and it delivers what the others publish.
      const fresh: Tracked[] = [];
      await pollUntil(
        async () => {
          fresh.push(await connectClient(BASELINE + SURGE + fresh.length));
          return (await connectionsOf(added)) > 0 ? true : undefined;
        },
        { what: `a client through the Service on ${added}`, timeoutMs: WAIT_MS },
      );
      const published = await api('publish', { channel: 'chat:c0', data: { probe: true } });
      const offset = Number(published.result?.['offset']);
      const onC0 = fresh.filter((t) => t.channel === 'chat:c0');
      await pollUntil(async () => (onC0.every((t) => t.offsets.includes(offset)) ? true : undefined), { what: 'the probe publication on every fresh chat:c0 client', timeoutMs: WAIT_MS });
      await sample();
      console.log(formatTimeline('scale-up on real pods (connections, HPA average, HPA desired, spec.nodes.replicas, ready pods)', timeline));
    }, 400_000);

    it('answers every dashboard panel and the adapter rule with at least one series while loaded', async () => {
      const probe = await connectClient(10_000);
      const bad = probe.client.newSubscription('nope:x');
      bad.subscribe();
      await pollUntil(async () => (bad.state === 'unsubscribed' ? true : undefined), { what: 'the refused subscription', timeoutMs: WAIT_MS });
      probe.client.disconnect();
      tracked.splice(tracked.indexOf(probe), 1);
      await api('disconnect', { user: 'nobody' });
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const { evaluated, failures } = await evaluateDashboardQueries(prometheus!, {
        namespace,
        realtimecluster: CLUSTER,
        operatorNamespace: namespace,
        adapterRulesYaml: adapterRules,
        pods: (await livePods()).map((p) => p.metadata.name),
        rateInterval: '20s',
      });
      console.log(`evaluated ${evaluated} PromQL expressions on real pods (every dashboard panel and variable, the adapter rule)`);
      expect(failures).toEqual([]);
    }, WAIT_MS);

    it('scales back down to 2 through the drain, and every client recovers', async () => {
      for (const t of surge) {
        t.client.disconnect();
        tracked.splice(tracked.indexOf(t), 1);
      }
      await pollUntil(async () => ((await specReplicas()) === 2 ? true : undefined), { what: 'the HPA setting spec.nodes.replicas to 2', timeoutMs: 4 * HPA_SYNC_MS });
      await pollUntil(async () => ((await pods('node')).length === 2 ? true : undefined), { what: 'the removed node pod drained and gone', timeoutMs: WAIT_MS });
      const remaining = await readyPodsOf('node', 2);
      await pollUntil(
        async () => ((await Promise.all(remaining.map((p) => connectionsOf(p.metadata.name)))).reduce((a, b) => a + b, 0) === tracked.length ? true : undefined),
        { what: `the ${tracked.length} remaining clients on the two nodes`, timeoutMs: WAIT_MS },
      );
      publishing = false;
      await publisher;
      const last = new Map<string, number>();
      for (let c = 0; c < CHANNELS; c++) last.set(`chat:c${c}`, Number((await api('publish', { channel: `chat:c${c}`, data: { last: true } })).result?.['offset']));
      await pollUntil(async () => (tracked.every((t) => t.offsets.at(-1) === last.get(t.channel)) ? true : undefined), {
        what: 'every client holding its channel’s last publication',
        timeoutMs: WAIT_MS,
      });
      const moved = tracked.filter((t) => t.disconnects.length > 0);
      console.log(`${moved.length} of ${tracked.length} clients were on the drained node; disconnect codes ${JSON.stringify([...new Set(moved.flatMap((t) => t.disconnects))])}`);
      expect(moved.length).toBeGreaterThan(0);
      for (const t of moved) {
        expect(t.disconnects).toEqual([3001]);
        expect(t.recoveries).toEqual([true]);
      }
      for (const t of tracked) {
        const offsets = t.offsets.filter((o) => o >= 0);
        for (let i = 1; i < offsets.length; i++) expect(offsets[i], `${t.channel} after ${offsets[i - 1]}`).toBe(offsets[i - 1]! + 1);
      }
      await sample();
      console.log(formatTimeline('the whole loop on real pods (scale-up, load, scale-down through the drain)', timeline));
      for (const t of tracked) t.client.disconnect();
      tracked.splice(0);
    }, 400_000);
  });

  it('helm uninstall leaves nothing behind (the CRD stays, as Helm keeps CRDs)', async () => {
    const uninstall = await run(['uninstall', RELEASE, '--namespace', namespace, '--wait', '--timeout', '3m']);
    expect(uninstall.code).toBe(0);
    installed = false;
    const kinds = [
      '/api/v1/namespaces/NS/configmaps', '/api/v1/namespaces/NS/secrets', '/api/v1/namespaces/NS/services', '/api/v1/namespaces/NS/serviceaccounts',
      '/api/v1/namespaces/NS/pods', '/api/v1/namespaces/NS/persistentvolumeclaims', '/apis/apps/v1/namespaces/NS/deployments',
      '/apis/apps/v1/namespaces/NS/statefulsets', '/apis/apps/v1/namespaces/NS/replicasets', '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
      '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers', '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/roles',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings', '/apis/coordination.k8s.io/v1/namespaces/NS/leases',
      '/apis/ringcast.dev/v1alpha1/namespaces/NS/realtimeclusters',
    ];
    const left = await pollUntil(
      async () => {
        const names: string[] = [];
        for (const path of kinds) {
          const list = await client.get<{ items: { metadata: { name: string } }[] }>(path.replace('NS', namespace));
          for (const item of list.items) names.push(`${path.split('/').at(-1)}/${item.metadata.name}`);
        }
        const extra = names.filter((n) => n !== 'configmaps/kube-root-ca.crt' && n !== 'serviceaccounts/default');
        return extra.length === 0 ? names : undefined;
      },
      { what: 'every object of the release and of its RealtimeCluster gone', timeoutMs: WAIT_MS },
    );
    expect(left.sort()).toEqual(['configmaps/kube-root-ca.crt', 'serviceaccounts/default']);
    await client.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/realtimeclusters.ringcast.dev');
  }, WAIT_MS);
});

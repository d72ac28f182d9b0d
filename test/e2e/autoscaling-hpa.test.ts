// The autoscaling loop for real, on the control plane (node pods as real `ringcast serve` processes on their own
// loopback addresses): Prometheus (Debian's) discovers and scrapes the node pods through the chart's PodMonitor,
// (Debian's build has no Kubernetes discovery: kube-pod-discovery.ts writes the same pod targets for its file SD),
// prometheus-adapter (built from its Go module) serves ringcast_node_connections with the chart's rule as the
// custom.metrics.k8s.io API through the aggregation layer, the HorizontalPodAutoscaler the operator created
// (kube-controller-manager's controller) scales the RealtimeCluster through its scale subresource, and the
// operator scales the nodes. SDK clients connect through a Service stand-in. While the cluster carries load,
// every dashboard panel's PromQL and the adapter rule are evaluated by that Prometheus. The timeline is printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Centrifuge, type Subscription } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stringify } from 'yaml';

import { evaluateDashboardQueries } from '../helpers/dashboard-evaluation.js';
import { findManifest, renderChart } from '../helpers/helm.js';
import { freeLoopbackPorts } from '../helpers/kube-free-port.js';
import { startPodDiscovery, type PodDiscovery } from '../helpers/kube-pod-discovery.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { startNodePodKubelet } from '../helpers/node-pod-kubelet.js';
import { adminKubeConfig, adminKubeconfigPath } from '../helpers/kube-test-context.js';
import { WAIT_MS, clusterPath, fastOperatorArgs, setUpOperatorEnv, type OperatorEnv } from '../helpers/operator-env.js';
import { registerCustomMetricsApi, startPrometheusAdapter, unregisterCustomMetricsApi, type AdapterProcess } from '../helpers/prometheus-adapter-process.js';
import { startPrometheus, type PrometheusProcess } from '../helpers/prometheus-process.js';
import { podMonitorScrapeConfigs } from '../helpers/prometheus-scrape-config.js';
import type { ProcessKubelet, RunningPod } from '../helpers/process-kubelet.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { formatTimeline, type ScalingSample } from '../helpers/scaling-timeline.js';
import { startServiceProxy, type ServiceProxy } from '../helpers/service-proxy.js';
import { hs256Token } from '../helpers/tokens.js';

const NAME = 'chat';
const TARGET = 20;
/** kube-controller-manager's --horizontal-pod-autoscaler-sync-period (its default). */
const HPA_SYNC_MS = 15_000;
const BASELINE = 12;
const SURGE = 50;
const CHANNELS = 6;

interface Tracked {
  client: Centrifuge;
  sub: Subscription;
  channel: string;
  offsets: number[];
  disconnects: number[];
  recoveries: boolean[];
}

describe('autoscaling on connections, end to end', () => {
  let env: OperatorEnv;
  let namespace: string;
  let redis: RedisServer[] = [];
  let prometheus: PrometheusProcess | undefined;
  let adapter: AdapterProcess | undefined;
  let discovery: PodDiscovery | undefined;
  let discoveryDir = '';
  let kubelet: ProcessKubelet | undefined;
  let service: ServiceProxy | undefined;
  let adapterRules = '';
  let hmac = '';
  let apiKey = '';
  const tracked: Tracked[] = [];
  const timeline: ScalingSample[] = [];
  let sampling: NodeJS.Timeout | undefined;
  let started = 0;
  let publishing = false;
  let publisher: Promise<void> | undefined;
  const surge: Tracked[] = [];

  const livePods = (): RunningPod[] => [...(kubelet?.pods.values() ?? [])].filter((p) => !p.deletedAt);
  const readyPods = (): RunningPod[] => livePods().filter((p) => kubelet?.ready.has(p.name));
  const connectionsOf = async (pod: RunningPod): Promise<number> => {
    const text = await (await fetch(`http://${pod.ip}:${pod.port}/metrics`)).text();
    return Number(/^ringcast_node_connections (\S+)$/m.exec(text)?.[1] ?? NaN);
  };
  const api = async (method: string, body: unknown, pod = readyPods()[0]): Promise<{ error?: { code: number }; result?: Record<string, unknown> }> => {
    if (!pod) throw new Error('no ready node pod for the API call');
    const response = await fetch(`http://${pod.ip}:${pod.port}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { error?: { code: number }; result?: Record<string, unknown> };
  };
  const hpa = () =>
    env.client
      .get<{ status?: { desiredReplicas?: number; currentMetrics?: { pods?: { current?: { averageValue?: string } } }[] } }>(
        `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${NAME}`,
      )
      .catch(() => undefined);

  async function sample(): Promise<void> {
    const pods = livePods();
    const counts = await Promise.all(pods.map((p) => connectionsOf(p).catch(() => 0)));
    const current = await hpa();
    const cluster = await env.client.get<{ spec: { nodes?: { replicas?: number } } }>(clusterPath(namespace, NAME)).catch(() => undefined);
    timeline.push({
      t: Math.round((Date.now() - started) / 1000),
      connections: counts.reduce((a, b) => a + b, 0),
      metric: current?.status?.currentMetrics?.[0]?.pods?.current?.averageValue ?? '-',
      hpaDesired: current?.status?.desiredReplicas,
      specReplicas: cluster?.spec.nodes?.replicas,
      ready: readyPods().length,
    });
  }

  function printTimeline(title: string): void {
    console.log(formatTimeline(title, timeline));
  }

  async function connectClient(i: number): Promise<Tracked> {
    const client = new Centrifuge(`ws://127.0.0.1:${service!.port}/connection/websocket`, {
      websocket: WebSocket,
      token: await hs256Token({ sub: `user-${i}` }, { expInSeconds: 3600, secret: hmac }),
      minReconnectDelay: 200,
      maxReconnectDelay: 2_000,
    });
    const channel = `chat:c${i % CHANNELS}`;
    const sub = client.newSubscription(channel);
    const entry: Tracked = { client, sub, channel, offsets: [], disconnects: [], recoveries: [] };
    client.on('connecting', (ctx) => {
      if (ctx.code >= 3000) entry.disconnects.push(ctx.code);
    });
    sub.on('publication', (ctx) => entry.offsets.push(ctx.offset ?? -1));
    sub.on('subscribed', (ctx) => {
      if (ctx.wasRecovering) entry.recoveries.push(ctx.recovered);
    });
    client.connect();
    sub.subscribe();
    await sub.ready(30_000);
    tracked.push(entry);
    return entry;
  }

  beforeAll(async () => {
    started = Date.now();
    env = await setUpOperatorEnv(adminKubeConfig(), 'hpa');
    namespace = env.namespace;
    // A short watch timeout renews the operator's watches every few seconds (the "closed" restarts its dashboard shows).
    const operatorPort = await env.startOperator('operator', [...fastOperatorArgs, '--watch-timeout', '5s']).opsPort();
    redis = [await startRedisServer(), await startRedisServer()];

    const manifests = await renderChart('rc', namespace, [
      '--set', 'cluster.enabled=false',
      '--set', 'monitoring.serviceMonitor.enabled=true',
      '--set', 'autoscaling.prometheusAdapterRule.enabled=true',
    ]);
    adapterRules = (findManifest(manifests, 'ConfigMap', 'rc-ringcast-prometheus-adapter')['data'] as Record<string, string>)['config.yaml'] ?? '';
    discoveryDir = mkdtempSync(join(tmpdir(), 'ringcast-sd-'));
    discovery = await startPodDiscovery(env.client, [namespace], discoveryDir);
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      scrape_configs: [
        ...podMonitorScrapeConfigs(findManifest(manifests, 'PodMonitor'), {
          interval: '1s',
          namespaces: [namespace],
          discovery: () => ({ kind: 'file_sd_configs', config: { files: [discovery!.file], refresh_interval: '1s' } }),
        }),
        // The operator runs as a process here; the labels are those its ServiceMonitor would give its pod.
        { job_name: 'ringcast-operator', static_configs: [{ targets: [`127.0.0.1:${operatorPort}`], labels: { namespace, pod: 'ringcast-operator-0' } }] },
      ],
    };
    prometheus = await startPrometheus(stringify(config));

    const serviceName = 'ringcast-custom-metrics';
    adapter = await startPrometheusAdapter({
      kubeconfigPath: adminKubeconfigPath(),
      prometheusUrl: prometheus.url,
      rulesYaml: adapterRules,
      serviceDnsName: `${serviceName}.${namespace}.svc`,
    });
    await registerCustomMetricsApi(env.client, { namespace, service: serviceName, port: adapter.port, caPem: adapter.caPem, externalName: '127.0.0.1' });

    const [port] = await freeLoopbackPorts(1);
    await env.client.request('POST', clusterPath(namespace, '').replace(/\/$/, ''), {
      body: {
        apiVersion: 'ringcast.dev/v1alpha1',
        kind: 'RealtimeCluster',
        metadata: { name: NAME },
        spec: {
          nodes: { replicas: 2, port, drain: { window: '4s', preStopDelay: '1s' } },
          redis: { external: { addresses: redis.map((r) => r.url) }, prefix: `hpa${process.pid}` },
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
    });
    kubelet = await startNodePodKubelet(env, namespace, NAME, '127.93.0');
    service = await startServiceProxy(() => readyPods().map((p) => ({ host: p.ip, port: p.port })));
    const secret = await pollUntil(
      async () => env.client.get<{ data: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${NAME}-credentials`).catch(() => undefined),
      { what: 'credentials', timeoutMs: WAIT_MS },
    );
    hmac = Buffer.from(secret.data['token-hmac-secret-key'] ?? '', 'base64').toString('utf8');
    apiKey = Buffer.from(secret.data['api-key'] ?? '', 'base64').toString('utf8');
    await pollUntil(async () => (readyPods().length === 2 ? true : undefined), { what: 'two node pods ready', timeoutMs: WAIT_MS });
    sampling = setInterval(() => void sample().catch(() => undefined), 1_000);
  }, 240_000);

  afterAll(async () => {
    if (sampling) clearInterval(sampling);
    publishing = false;
    await publisher;
    for (const t of tracked) t.client.disconnect();
    await service?.close();
    await kubelet?.stop();
    if (env) await unregisterCustomMetricsApi(env.client);
    await adapter?.stop();
    await prometheus?.stop();
    await discovery?.close();
    if (discoveryDir) rmSync(discoveryDir, { recursive: true, force: true });
    for (const r of redis) await r.stop();
    await env?.cleanup();
  }, 120_000);

  it('serves ringcast_node_connections per node pod through custom.metrics.k8s.io and the HPA reads it', async () => {
    for (let i = 0; i < BASELINE; i++) await connectClient(i);
    const perPod = await pollUntil(
      async () => {
        const list = await env.client
          .get<{ items: { describedObject: { name: string }; value: string }[] }>(
            `/apis/custom.metrics.k8s.io/v1beta1/namespaces/${namespace}/pods/*/ringcast_node_connections`,
          )
          .catch(() => undefined);
        const total = list?.items.reduce((sum, item) => sum + Number(item.value), 0);
        return list && list.items.length === 2 && total === BASELINE ? list.items : undefined;
      },
      { what: `custom metric for both pods summing to ${BASELINE}`, timeoutMs: WAIT_MS },
    );
    expect(perPod.map((item) => item.describedObject.name).sort()).toEqual(readyPods().map((p) => p.name).sort());
    const read = await pollUntil(async () => ((await hpa())?.status?.currentMetrics?.[0]?.pods?.current?.averageValue ? await hpa() : undefined), {
      what: 'the HPA reading the metric',
      timeoutMs: 3 * HPA_SYNC_MS,
    });
    expect(read?.status?.desiredReplicas).toBe(2);
  }, 120_000);

  it('scales 2 → 3 node pods within two HPA sync periods of passing the target, and the new node serves clients', async () => {
    // Publications and API traffic flow from here on (history, presence, errors from a namespace that does not
    // exist), so every dashboard panel has data.
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
    const threshold = 2 * TARGET * 1.1;
    for (let i = BASELINE; i < BASELINE + SURGE; i++) surge.push(await connectClient(i));
    const passedAt = await pollUntil(
      async () => {
        const list = await env.client
          .get<{ items: { value: string }[] }>(`/apis/custom.metrics.k8s.io/v1beta1/namespaces/${namespace}/pods/*/ringcast_node_connections`)
          .catch(() => undefined);
        const total = list?.items.reduce((sum, item) => sum + Number(item.value), 0) ?? 0;
        return total > threshold ? Date.now() : undefined;
      },
      { what: `the served metric passing ${threshold}`, timeoutMs: WAIT_MS },
    );
    await pollUntil(
      async () => ((await env.client.get<{ spec: { nodes: { replicas: number } } }>(clusterPath(namespace, NAME))).spec.nodes.replicas === 3 ? true : undefined),
      { what: 'the HPA setting spec.nodes.replicas to 3', timeoutMs: 2 * HPA_SYNC_MS },
    );
    console.log(`HPA scaled to 3 ${Math.round((Date.now() - passedAt) / 100) / 10} s after the served metric passed the target`);
    const newPod = await pollUntil(async () => (readyPods().length === 3 ? readyPods().at(-1) : undefined), { what: 'three node pods ready', timeoutMs: WAIT_MS });

    // New connections through the Service reach the new node, and it delivers publications made on another node.
    const before = await connectionsOf(newPod!);
    const fresh: Tracked[] = [];
    for (let i = BASELINE + SURGE; i < BASELINE + SURGE + 6; i++) fresh.push(await connectClient(i));
    expect(await connectionsOf(newPod!)).toBeGreaterThan(before);
    const other = readyPods().find((p) => p.name !== newPod!.name)!;
    const result = await api('publish', { channel: 'chat:c0', data: { probe: true } }, other);
    expect(result.error).toBeUndefined();
    const offset = Number(result.result?.['offset']);
    await pollUntil(async () => (fresh.filter((t) => t.channel === 'chat:c0').every((t) => t.offsets.includes(offset)) ? true : undefined), {
      what: 'the publication on every fresh chat:c0 client',
      timeoutMs: WAIT_MS,
    });
    await sample();
    printTimeline('scale-up timeline (connections summed over the pods, HPA average, HPA desired, spec.nodes.replicas, ready pods)');
  }, 180_000);

  it('answers every dashboard panel and the adapter rule with at least one series while loaded', async () => {
    // Client-side errors and disconnects: a subscription to an unknown namespace (102) and a client that leaves.
    const probe = await connectClient(10_000);
    const bad = probe.client.newSubscription('nope:x');
    bad.subscribe();
    await pollUntil(async () => (bad.state === 'unsubscribed' ? true : undefined), { what: 'the refused subscription', timeoutMs: WAIT_MS });
    probe.client.disconnect();
    tracked.splice(tracked.indexOf(probe), 1);
    await api('disconnect', { user: 'nobody' });
    // Let Prometheus take a few scrapes of all of it.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const { evaluated, failures } = await evaluateDashboardQueries(prometheus!, {
      namespace,
      realtimecluster: NAME,
      operatorNamespace: namespace,
      adapterRulesYaml: adapterRules,
      pods: readyPods().map((p) => p.name),
      rateInterval: '20s',
    });
    console.log(`evaluated ${evaluated} PromQL expressions (every dashboard panel and variable, the adapter rule)`);
    expect(failures).toEqual([]);
  }, 120_000);

  it('scales back down to 2 through the drain, and every client recovers', async () => {
    // The surge leaves; the clients that joined after the scale-up stay, some of them on the newest (least
    // loaded) node, which the scale-down removes.
    for (const t of surge) {
      t.client.disconnect();
      tracked.splice(tracked.indexOf(t), 1);
    }
    const drained = await pollUntil(async () => livePods().length === 3 ? undefined : [...(kubelet?.pods.values() ?? [])].find((p) => p.deletedAt), {
      what: 'the HPA scaling down and a node pod being removed',
      timeoutMs: 4 * HPA_SYNC_MS,
    });
    await pollUntil(async () => (drained?.exitedAt ? true : undefined), { what: 'the removed node drained and exited', timeoutMs: WAIT_MS });
    expect(drained?.process.exitInfo).toEqual({ code: 0, signal: null });
    expect((await env.client.get<{ spec: { nodes: { replicas: number } } }>(clusterPath(namespace, NAME))).spec.nodes.replicas).toBe(2);
    await pollUntil(async () => ((await Promise.all(readyPods().map(connectionsOf))).reduce((a, b) => a + b, 0) === tracked.length ? true : undefined), {
      what: `the ${tracked.length} remaining clients on the two nodes`,
      timeoutMs: WAIT_MS,
    });
    publishing = false;
    await publisher;
    const last = new Map<string, number>();
    for (let c = 0; c < CHANNELS; c++) {
      const result = await api('publish', { channel: `chat:c${c}`, data: { last: true } });
      last.set(`chat:c${c}`, Number(result.result?.['offset']));
    }
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
    // No gaps: every client saw consecutive offsets from its first publication to the last.
    for (const t of tracked) {
      const offsets = t.offsets.filter((o) => o >= 0);
      for (let i = 1; i < offsets.length; i++) expect(offsets[i], `${t.channel} after ${offsets[i - 1]}`).toBe(offsets[i - 1]! + 1);
    }
    await sample();
    printTimeline('whole timeline (scale-up, load, scale-down through the drain)');
  }, 240_000);
});

// Real pods from the project's own images (make image) on the cluster of pods-global-setup.ts: a plain
// Redis Pod and a Deployment of Ringcast reach Running/Ready, ClusterIP Services (and cluster DNS) route
// to them, logs and exec work through the API, the image's node runs a supported Node.js with the native
// uWebSockets.js, and an official SDK client connected to a node pod receives a publication sent
// through the HTTP API.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';

import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Centrifuge } from 'centrifuge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { execInPod } from '../cluster/pod-exec.js';
import { openPodNetwork, type PodNetwork } from '../cluster/pod-network.js';
import { createPodsNamespace, keepDiagnosticsOnFailure, podsAdminKubeConfig, podsCluster } from '../cluster/pods-test-context.js';
import { deleteTestNamespace } from '../helpers/kube-namespace.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { hs256Token } from '../helpers/tokens.js';

const WAIT_MS = 120_000;
const API_KEY = randomBytes(12).toString('hex');
const TOKEN_SECRET = randomBytes(24).toString('hex');

let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let namespace = '';
let network: PodNetwork;

keepDiagnosticsOnFailure(() => kc, () => (namespace ? [namespace] : []));

beforeAll(async () => {
  kc = podsAdminKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  namespace = await createPodsNamespace(kc, 'real-pods');
  network = openPodNetwork(podsCluster(), kc);
});

afterAll(async () => {
  network?.close();
  if (namespace) await deleteTestNamespace(kc, namespace);
});

const isReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function readyPods(labelSelector: string, count: number): Promise<V1Pod[]> {
  return pollUntil(
    async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector })).items.filter((p) => !p.metadata?.deletionTimestamp);
      return pods.length === count && pods.every(isReady) ? pods : undefined;
    },
    { what: `${count} Ready pod(s) ${labelSelector} in ${namespace}`, timeoutMs: WAIT_MS, intervalMs: 250 },
  );
}

/** The hardening a production pod gets; the images must run under it. */
const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Sends a Redis PING over a raw TCP connection and returns the reply line. */
function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no reply to PING within 5 s')));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.trim());
      }
    });
    socket.on('error', reject);
  });
}

/** POST /api/info on a fresh connection (no keep-alive, so each call may reach another endpoint); the node's name. */
function infoNodeName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/info', method: 'POST', agent: false, headers: { 'X-API-Key': API_KEY }, timeout: 5_000 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          try {
            resolve((JSON.parse(body) as { result: { nodes: { name: string }[] } }).result.nodes[0]?.name ?? '');
          } catch (error) {
            reject(new Error(`unexpected /api/info answer ${res.statusCode ?? 0}: ${body}`, { cause: error }));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no /api/info answer within 5 s')));
    req.on('error', reject);
    req.end('{}');
  });
}

describe('real pods from the project images', () => {
  const images = (): { ringcast: string; redis: string } => podsCluster().images;
  let ringcastPods: V1Pod[] = [];

  it('runs a plain Redis Pod to Ready, reachable through a ClusterIP Service and its DNS name', async () => {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'redis', labels: { app: 'redis' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'redis',
              image: images().redis,
              imagePullPolicy: 'Never',
              ports: [{ name: 'redis', containerPort: 6379 }],
              readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 1 },
              securityContext: restricted,
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    });
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'redis' }, spec: { selector: { app: 'redis' }, ports: [{ port: 6379, targetPort: 'redis' }] } },
    });
    const [pod] = await readyPods('app=redis', 1);
    expect(pod?.spec?.nodeName).toBeTruthy();

    // From inside the cluster: the pod reaches itself through the Service's DNS name (hairpin through kube-proxy).
    const target = { namespace, pod: 'redis', container: 'redis' };
    const viaDns = await pollUntil(
      async () => {
        const result = await execInPod(kc, target, ['redis-cli', '-h', `redis.${namespace}.svc.cluster.local`, 'ping']);
        return result.stdout.trim() === 'PONG' ? result : undefined;
      },
      { what: 'PONG through the Service DNS name', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(viaDns.exitCode).toBe(0);

    // From the test: straight to the ClusterIP, inside the cluster's network (local provider).
    const service = await core.readNamespacedService({ namespace, name: 'redis' });
    if (network.forwardToAddress) {
      const forward = await network.forwardToAddress(`${service.spec?.clusterIP ?? ''}:6379`);
      try {
        expect(await redisPing(forward.port)).toBe('+PONG');
      } finally {
        await forward.close();
      }
    }
  });

  it('runs a Deployment of the Ringcast image to Ready, and its ClusterIP Service routes to every pod', async () => {
    const labels = { app: 'ringcast' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'ringcast', labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 2,
              containers: [
                {
                  name: 'ringcast',
                  image: images().ringcast,
                  imagePullPolicy: 'Never',
                  ports: [{ name: 'http', containerPort: 8000 }],
                  env: [
                    { name: 'RINGCAST_HTTP_API_KEY', value: API_KEY },
                    { name: 'RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY', value: TOKEN_SECRET },
                    { name: 'RINGCAST_CHANNEL_WITHOUT_NAMESPACE_ALLOW_SUBSCRIBE_FOR_CLIENT', value: 'true' },
                  ],
                  readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 1 },
                  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                  securityContext: restricted,
                },
              ],
            },
          },
        },
      },
    });
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'ringcast' }, spec: { selector: labels, ports: [{ name: 'http', port: 8000, targetPort: 'http' }] } },
    });
    ringcastPods = await readyPods('app=ringcast', 2);
    const names = new Set(ringcastPods.map((p) => p.metadata?.name ?? ''));

    // Each request is a new connection, so kube-proxy picks an endpoint at random each time: poll until
    // both pods have answered through the Service (a node's /api/info names the node: its pod name).
    const seen = new Set<string>();
    const from = { namespace, pod: [...names][0] ?? '', container: 'ringcast' };
    const script =
      `fetch('http://ringcast.${namespace}.svc.cluster.local:8000/api/info',` +
      `{method:'POST',headers:{'X-API-Key':'${API_KEY}'},body:'{}'})` +
      '.then(r=>r.json()).then(b=>console.log(b.result.nodes[0].name))';
    await pollUntil(
      async () => {
        const result = await execInPod(kc, from, ['node', '-e', script]);
        if (result.exitCode === 0) seen.add(result.stdout.trim());
        return seen.size === names.size ? true : undefined;
      },
      { what: `answers from both pods through Service ringcast (seen: ${[...seen].join(', ')})`, timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(seen).toEqual(names);

    // From the test, through the Service as well.
    const forward = await network.forwardToService(namespace, 'ringcast', 8000);
    try {
      const seenFromTest = new Set<string>();
      await pollUntil(
        async () => {
          seenFromTest.add(await infoNodeName(forward.port));
          return seenFromTest.size === names.size ? true : undefined;
        },
        { what: 'answers from both pods through the Service from the test', timeoutMs: 30_000, intervalMs: 50 },
      );
      expect(seenFromTest).toEqual(names);
    } finally {
      await forward.close();
    }
  });

  it('serves logs and exec through the API: the image runs a supported Node.js with the native uWebSockets.js', async () => {
    const pod = ringcastPods[0]?.metadata?.name ?? '';
    expect(pod).not.toBe('');
    const log = await core.readNamespacedPodLog({ namespace, name: pod, container: 'ringcast' });
    const started = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; nodejs?: string; node?: string })
      .find((entry) => entry.msg === 'node started');
    expect(started?.node).toBe(pod);

    const version = await execInPod(kc, { namespace, pod, container: 'ringcast' }, ['node', '/app/dist/cli/ringcast.js', 'version']);
    expect(version.exitCode).toBe(0);
    const nodejs = /^node\.js v(\d+)\.\d+\.\d+ \(ABI (\d+), linux-x64\)$/m.exec(version.stdout);
    // Maintained Node.js LTS lines only (20 reached end of life in April 2026).
    expect(['22', '24']).toContain(nodejs?.[1]);
    expect(started?.nodejs).toBe(`v${/node\.js v(\S+)/.exec(version.stdout)?.[1] ?? ''}`);
    expect(version.stdout).toContain('uWebSockets.js native\n');

    const failing = await execInPod(kc, { namespace, pod, container: 'ringcast' }, ['sh', '-c', 'exit 3']);
    expect(failing.exitCode).toBe(3);
  });

  it('delivers a publication from the HTTP API to an official SDK client connected to a node pod', async () => {
    const pod = ringcastPods[1]?.metadata?.name ?? '';
    const forward = await network.forwardToPod(namespace, pod, 8000);
    const client = new Centrifuge(`ws://127.0.0.1:${forward.port}/connection/websocket`, {
      websocket: WebSocket,
      token: await hs256Token({ sub: 'alice' }, { expInSeconds: 600, secret: TOKEN_SECRET }),
    });
    try {
      const received: unknown[] = [];
      const sub = client.newSubscription('pods');
      sub.on('publication', (ctx) => received.push(ctx.data));
      client.connect();
      sub.subscribe();
      await sub.ready(10_000);
      const res = await fetch(`http://127.0.0.1:${forward.port}/api/publish`, {
        method: 'POST',
        headers: { 'X-API-Key': API_KEY },
        body: JSON.stringify({ channel: 'pods', data: { hello: 'from the API' } }),
      });
      expect(res.status).toBe(200);
      await pollUntil(async () => (received.length > 0 ? true : undefined), { what: 'the publication', timeoutMs: 10_000 });
      expect(received).toEqual([{ hello: 'from the API' }]);
    } finally {
      client.disconnect();
      await forward.close();
    }
  });
});

// prometheus-adapter as a real process on loopback, serving custom.metrics.k8s.io from a Prometheus with the rules
// the chart ships, registered with the test API server through the aggregation layer: an ExternalName Service
// naming 127.0.0.1 (the control plane has no pod network; the aggregator resolves ExternalName to that host) and
// APIServices for v1beta1 and v1beta2 whose caBundle is the adapter's own serving certificate.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { KubeClient } from '../../src/kube/kube-client.js';
import { freeLoopbackPorts } from './kube-free-port.js';
import { probeHttp } from './kube-http-probe.js';
import { pollUntil } from './kube-poll.js';
import { spawnManaged, type ManagedProcess } from './kube-process.js';
import { resolvePrometheusAdapter } from './prometheus-adapter-path.js';

const execFileAsync = promisify(execFile);

export interface AdapterOptions {
  /** Kubeconfig the adapter uses for discovery, token reviews and access reviews. */
  readonly kubeconfigPath: string;
  readonly prometheusUrl: string;
  /** The adapter's --config (the chart's config.yaml). */
  readonly rulesYaml: string;
  /** DNS name the API server will verify (service.namespace.svc). */
  readonly serviceDnsName: string;
  /** Where it runs: default this host, on a free loopback port. */
  readonly placement?: {
    readonly bindAddress: string;
    readonly port: number;
    readonly wrap: (command: string, args: string[]) => { command: string; args: string[] };
    /** host:port this process reaches the adapter's port by. */
    readonly reach: (port: number) => Promise<string>;
  };
}

export interface AdapterProcess {
  readonly port: number;
  readonly caPem: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startPrometheusAdapter(options: AdapterOptions): Promise<AdapterProcess> {
  const binary = resolvePrometheusAdapter(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-adapter-'));
  const cert = join(dir, 'serving.crt');
  const key = join(dir, 'serving.key');
  await execFileAsync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', `/CN=${options.serviceDnsName}`,
    '-addext', `subjectAltName=DNS:${options.serviceDnsName},IP:127.0.0.1`,
    '-keyout', key, '-out', cert,
  ]);
  const rules = join(dir, 'config.yaml');
  writeFileSync(rules, options.rulesYaml);
  const port = options.placement?.port ?? (await freeLoopbackPorts(1))[0] ?? 0;
  const args = [
    `--secure-port=${port}`,
    `--bind-address=${options.placement?.bindAddress ?? '127.0.0.1'}`,
    `--tls-cert-file=${cert}`,
    `--tls-private-key-file=${key}`,
    `--lister-kubeconfig=${options.kubeconfigPath}`,
    `--authentication-kubeconfig=${options.kubeconfigPath}`,
    `--authorization-kubeconfig=${options.kubeconfigPath}`,
    `--prometheus-url=${options.prometheusUrl}`,
    '--metrics-relist-interval=2s',
    `--config=${rules}`,
    '--v=2',
  ];
  const wrapped = options.placement ? options.placement.wrap(binary, args) : { command: binary, args };
  const proc = spawnManaged('prometheus-adapter', wrapped.command, wrapped.args, { logPath: join(dir, 'adapter.log'), orphanCleanupDir: dir });
  const caPem = readFileSync(cert, 'utf8');
  const reached = options.placement ? await options.placement.reach(port) : `127.0.0.1:${port}`;
  await pollUntil(async () => ((await probeHttp(`https://${reached}/healthz`, { caFile: cert })).status === 200 ? true : undefined), {
    what: `prometheus-adapter /healthz on ${port}`,
    timeoutMs: 60_000,
    abortIf: () => (proc.exitInfo ? `it exited: ${proc.logTail(20)}` : undefined),
  }).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n--- adapter log ---\n${proc.logTail(30)}`);
  });
  return {
    port,
    caPem,
    process: proc,
    stop: async () => {
      await proc.stop(5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const VERSIONS = ['v1beta1', 'v1beta2'] as const;

/**
 * Registers the adapter as custom.metrics.k8s.io: `service` in `namespace` (created here as ExternalName
 * `externalName` when given; an existing Service otherwise) and both API versions; waits until they are Available.
 */
export async function registerCustomMetricsApi(
  client: KubeClient,
  options: { namespace: string; service: string; port: number; caPem: string; externalName?: string },
): Promise<void> {
  if (options.externalName) {
    await client.apply(
      `/api/v1/namespaces/${options.namespace}/services/${options.service}`,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: options.service, namespace: options.namespace },
        spec: { type: 'ExternalName', externalName: options.externalName, ports: [{ name: 'https', port: options.port }] },
      },
      'ringcast-e2e',
    );
  }
  for (const version of VERSIONS) {
    await client.apply(
      `/apis/apiregistration.k8s.io/v1/apiservices/${version}.custom.metrics.k8s.io`,
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: `${version}.custom.metrics.k8s.io` },
        spec: {
          group: 'custom.metrics.k8s.io',
          version,
          groupPriorityMinimum: 100,
          versionPriority: version === 'v1beta2' ? 200 : 100,
          service: { namespace: options.namespace, name: options.service, port: options.port },
          caBundle: Buffer.from(options.caPem).toString('base64'),
        },
      },
      'ringcast-e2e',
    );
  }
  for (const version of VERSIONS) {
    let last = 'no condition yet';
    await pollUntil(
      async () => {
        const api = await client.get<{ status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }>(
          `/apis/apiregistration.k8s.io/v1/apiservices/${version}.custom.metrics.k8s.io`,
        );
        const available = api.status?.conditions?.find((c) => c.type === 'Available');
        if (available) last = `${available.status} ${available.reason ?? ''}: ${available.message ?? ''}`;
        return available?.status === 'True' ? true : undefined;
      },
      { what: `APIService ${version}.custom.metrics.k8s.io Available`, timeoutMs: 60_000 },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} (last Available condition: ${last})`);
    });
  }
}

export async function unregisterCustomMetricsApi(client: KubeClient): Promise<void> {
  for (const version of VERSIONS) {
    await client.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${version}.custom.metrics.k8s.io`).catch(() => undefined);
  }
}

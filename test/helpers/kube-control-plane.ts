// A throwaway Kubernetes control plane for tests and `make dev-cluster`: etcd, kube-apiserver (RBAC,
// client-certificate and service-account token authentication) and optionally kube-controller-manager,
// on free loopback ports, with everything (certificates, data, logs, kubeconfigs) in one temporary
// directory that stop() removes. No kubelet or scheduler: Pods are created but never run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KubeControlPlaneError } from './kube-errors.js';
import { freeLoopbackPorts } from './kube-free-port.js';
import { probeHttp } from './kube-http-probe.js';
import { base64File, writeKubeconfig } from './kube-kubeconfig.js';
import { createControlPlanePki, type ControlPlanePki } from './kube-pki.js';
import { pollUntil } from './kube-poll.js';
import { describeExit, spawnManaged, type ManagedProcess } from './kube-process.js';
import type { KubeToolPaths } from './kube-tools-path.js';

export interface ControlPlaneOptions {
  readonly tools: KubeToolPaths;
  /** Also run kube-controller-manager (garbage collector, deployments, replica sets, HPA, ...). */
  readonly controllerManager?: boolean;
  /** Per component; default 120 s (a cold start on a busy 2-core machine takes ~10–20 s). */
  readonly startTimeoutMs?: number;
  /** Progress messages ("etcd ready on ..."). */
  readonly log?: (message: string) => void;
  /** Parent of the temporary directory; default os.tmpdir(). */
  readonly tmpRoot?: string;
}

export interface ControlPlane {
  /** The temporary directory holding certificates, etcd data, logs and kubeconfigs. */
  readonly dir: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** etcd's client URL, http://127.0.0.1:<port> (tests that need etcd itself, e.g. to compact history). */
  readonly etcdUrl: string;
  readonly caFile: string;
  /** Kubeconfig of a client-certificate user in group system:masters. */
  readonly adminKubeconfigPath: string;
  readonly processes: readonly ManagedProcess[];
  /** Stops every process (newest first) and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The controllers the tests rely on; the rest (nodes, volumes, jobs, ...) stay off. */
export const TEST_CONTROLLERS = [
  'garbage-collector-controller',
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'horizontal-pod-autoscaler-controller',
  'namespace-controller',
  'serviceaccount-controller',
] as const;

const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/24';
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const PORT_ATTEMPTS = 3;

function nth(ports: readonly number[], index: number): number {
  const port = ports[index];
  if (port === undefined) throw new Error(`internal: port ${index} was not allocated`);
  return port;
}

interface StartContext {
  readonly dir: string;
  readonly pki: ControlPlanePki;
  readonly tools: KubeToolPaths;
  readonly timeoutMs: number;
  readonly log: (message: string) => void;
}

/**
 * Starts a component on fresh ports and waits until `ready` succeeds. A start that dies because its
 * port was taken between choosing and binding it is retried with new ports.
 */
async function startComponent<T>(
  name: string,
  portCount: number,
  launch: (ports: readonly number[]) => { process: ManagedProcess; ready: () => Promise<T | undefined>; what: string },
  ctx: StartContext,
): Promise<{ process: ManagedProcess; ports: number[]; value: T }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freeLoopbackPorts(portCount);
    const { process: proc, ready, what } = launch(ports);
    try {
      const value = await pollUntil(ready, {
        what,
        timeoutMs: ctx.timeoutMs,
        intervalMs: 200,
        abortIf: () => (proc.exitInfo ? `${name} ${describeExit(proc.exitInfo)}` : undefined),
      });
      ctx.log(`${name} ready (${what}); log: ${proc.logPath}`);
      return { process: proc, ports, value };
    } catch (error) {
      await proc.stop();
      const tail = proc.logTail();
      if (attempt < PORT_ATTEMPTS && /address already in use/i.test(tail)) {
        ctx.log(`${name}: port taken, retrying with other ports`);
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new KubeControlPlaneError(
        'KUBE_PROCESS_EXITED',
        `${name} did not start: ${message}\n--- last lines of ${proc.logPath} ---\n${tail}`,
        { cause: error },
      );
    }
  }
}

function startEtcd(ctx: StartContext): ReturnType<typeof startComponent<true>> {
  return startComponent(
    'etcd',
    2,
    (ports) => {
      const clientUrl = `http://127.0.0.1:${nth(ports, 0)}`;
      const peerUrl = `http://127.0.0.1:${nth(ports, 1)}`;
      const proc = spawnManaged(
        'etcd',
        ctx.tools.etcd,
        [
          '--name=ringcast-test',
          `--data-dir=${join(ctx.dir, 'etcd-data')}`,
          `--listen-client-urls=${clientUrl}`,
          `--advertise-client-urls=${clientUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=ringcast-test=${peerUrl}`,
          // Data is thrown away after the run: skip fsync, which dominates etcd latency on slow disks.
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        { logPath: join(ctx.dir, 'etcd.log'), orphanCleanupDir: ctx.dir },
      );
      return {
        process: proc,
        what: `etcd ${clientUrl}/health`,
        ready: async () => {
          const res = await probeHttp(`${clientUrl}/health`);
          return res.status === 200 && /"health":\s*"true"/.test(res.body) ? true : undefined;
        },
      };
    },
    ctx,
  );
}

function startApiserver(ctx: StartContext, etcdClientPort: number): ReturnType<typeof startComponent<string>> {
  const { pki } = ctx;
  return startComponent(
    'kube-apiserver',
    1,
    (ports) => {
      const port = nth(ports, 0);
      const server = `https://127.0.0.1:${port}`;
      const proc = spawnManaged(
        'kube-apiserver',
        ctx.tools.kubeApiserver,
        [
          `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${port}`,
          `--cert-dir=${join(ctx.dir, 'kube-apiserver-certs')}`,
          `--tls-cert-file=${pki.apiserverServing.cert}`,
          `--tls-private-key-file=${pki.apiserverServing.key}`,
          `--client-ca-file=${pki.ca.cert}`,
          '--authorization-mode=RBAC',
          // Front-proxy (aggregation) settings; they also complete the extension-apiserver-authentication
          // ConfigMap that delegating components such as kube-controller-manager read.
          `--requestheader-client-ca-file=${pki.ca.cert}`,
          '--requestheader-allowed-names=front-proxy-client',
          '--requestheader-username-headers=X-Remote-User',
          '--requestheader-group-headers=X-Remote-Group',
          '--requestheader-extra-headers-prefix=X-Remote-Extra-',
          `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
          `--proxy-client-key-file=${pki.frontProxyClient.key}`,
          `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
          `--service-account-key-file=${pki.serviceAccountPublicKey}`,
          `--service-account-signing-key-file=${pki.serviceAccountPrivateKey}`,
          `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
          // Endpoints may not hold loopback addresses, so the `kubernetes` Service gets none instead
          // of an error every reconcile.
          '--endpoint-reconciler-type=none',
          '--allow-privileged=true',
          '--profiling=false',
        ],
        { logPath: join(ctx.dir, 'kube-apiserver.log'), orphanCleanupDir: ctx.dir },
      );
      return {
        process: proc,
        what: `${server}/readyz`,
        ready: async () => {
          const res = await probeHttp(`${server}/readyz`, {
            caFile: pki.ca.cert,
            certFile: pki.admin.cert,
            keyFile: pki.admin.key,
          });
          return res.status === 200 ? server : undefined;
        },
      };
    },
    ctx,
  );
}

function startControllerManager(ctx: StartContext, kubeconfig: string): ReturnType<typeof startComponent<true>> {
  const { pki } = ctx;
  return startComponent(
    'kube-controller-manager',
    1,
    (ports) => {
      const port = nth(ports, 0);
      const proc = spawnManaged(
        'kube-controller-manager',
        ctx.tools.kubeControllerManager,
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${port}`,
          `--cert-dir=${join(ctx.dir, 'kube-controller-manager-certs')}`,
          `--tls-cert-file=${pki.controllerManagerServing.cert}`,
          `--tls-private-key-file=${pki.controllerManagerServing.key}`,
          `--root-ca-file=${pki.ca.cert}`,
          // Each controller acts as its own ServiceAccount (kube-system/<controller>) with the bootstrap
          // system:controller:* roles, as in kubeadm clusters; the system:kube-controller-manager user
          // itself may only mint those tokens.
          '--use-service-account-credentials=true',
          '--leader-elect=false',
          `--controllers=${TEST_CONTROLLERS.join(',')}`,
          '--profiling=false',
        ],
        { logPath: join(ctx.dir, 'kube-controller-manager.log'), orphanCleanupDir: ctx.dir },
      );
      const url = `https://127.0.0.1:${port}/healthz`;
      return {
        process: proc,
        what: url,
        ready: async () => ((await probeHttp(url, { caFile: pki.ca.cert })).status === 200 ? true : undefined),
      };
    },
    ctx,
  );
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'ringcast-kube-'));
  const processes: ManagedProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const proc of [...processes].reverse()) await proc.stop();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const pki = await createControlPlanePki(dir);
    const ctx: StartContext = {
      dir,
      pki,
      tools: options.tools,
      timeoutMs: options.startTimeoutMs ?? 120_000,
      log: options.log ?? (() => {}),
    };
    const etcd = await startEtcd(ctx);
    processes.push(etcd.process);
    const apiserver = await startApiserver(ctx, nth(etcd.ports, 0));
    processes.push(apiserver.process);
    const server = apiserver.value;
    const caData = base64File(pki.ca.cert);

    const adminKubeconfigPath = await writeKubeconfig(join(dir, 'admin.kubeconfig'), {
      server,
      caData,
      userName: 'ringcast-test-admin',
      credentials: { kind: 'client-certificate', certFile: pki.admin.cert, keyFile: pki.admin.key },
    });

    if (options.controllerManager) {
      const kubeconfig = await writeKubeconfig(join(dir, 'kube-controller-manager.kubeconfig'), {
        server,
        caData,
        userName: 'system:kube-controller-manager',
        credentials: { kind: 'client-certificate', certFile: pki.controllerManager.cert, keyFile: pki.controllerManager.key },
      });
      const controllerManager = await startControllerManager(ctx, kubeconfig);
      processes.push(controllerManager.process);
    }

    const etcdUrl = `http://127.0.0.1:${nth(etcd.ports, 0)}`;
    return { dir, server, etcdUrl, caFile: pki.ca.cert, adminKubeconfigPath, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

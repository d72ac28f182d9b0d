// A single-node Kubernetes with real pods, as plain processes inside network, mount and PID namespaces
// this run creates (node-namespace.ts): etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
// CoreDNS, containerd with runc, the kubelet and kube-proxy. The node's address, the pod and Service
// ranges exist only inside; the host reaches the API server through nsfwd on a loopback port. Images
// are imported into containerd from docker-archives (make image); nothing is ever pulled.
// Recipe and pitfalls: docs/development-kube.md ("Real pods").
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

import { KubeControlPlaneError } from '../helpers/kube-errors.js';
import { probeHttp, type ProbeTls } from '../helpers/kube-http-probe.js';
import { base64File, writeKubeconfig } from '../helpers/kube-kubeconfig.js';
import { pollUntil } from '../helpers/kube-poll.js';
import { describeExit, spawnManaged, type ManagedProcess } from '../helpers/kube-process.js';
import type { ClusterTools } from './cluster-tools-path.js';
import * as daemons from './local-cluster-daemons.js';
import { createLocalClusterPki, writeInClusterKubeconfigs } from './local-cluster-pki.js';
import { containerdConfig, cniConfig, corefile, hostsFile, kubeletConfig, kubeProxyConfig, resolvConf, type NodePaths } from './local-node-config.js';
import { NODE_IP, NODE_NAME, PORTS } from './local-node-layout.js';
import { namespaceCommand, startNodeNamespace, type NodeNamespace } from './node-namespace.js';
import { startNsForwarder, type NsForwarder } from './ns-forwarder.js';

export interface ImageArchive {
  readonly ref: string;
  readonly archive: string;
}

export interface LocalClusterOptions {
  readonly tools: ClusterTools;
  /** docker-archives to import into containerd (the pause image among them). */
  readonly images: readonly ImageArchive[];
  readonly log?: (message: string) => void;
  /** Per component; default 120 s. */
  readonly startTimeoutMs?: number;
  readonly tmpRoot?: string;
}

export interface LocalCluster {
  readonly dir: string;
  readonly logsDir: string;
  /** PID of the namespaces' PID 1 as the host sees it (nsenter --target, /proc/<pid>/ns/net). */
  readonly nsPid: number;
  /** https://127.0.0.1:<port>, forwarded to the API server inside the namespace. */
  readonly server: string;
  /** Admin (system:masters) kubeconfig for the host side. */
  readonly adminKubeconfigPath: string;
  readonly nodeName: string;
  readonly processes: readonly ManagedProcess[];
  /** Stops everything and removes `dir` (kept with `keepDir`, e.g. for debugging). Safe to call twice. */
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

interface Started {
  readonly dir: string;
  readonly logsDir: string;
  readonly tools: ClusterTools;
  readonly ns: NodeNamespace;
  readonly forwarder: NsForwarder;
  readonly timeoutMs: number;
  readonly log: (message: string) => void;
  readonly processes: ManagedProcess[];
}

function startDaemon(s: Started, spec: daemons.DaemonSpec): ManagedProcess {
  const { command, args } = namespaceCommand(s.ns.pid, spec.binary, spec.args);
  const proc = spawnManaged(spec.name, command, args, {
    logPath: join(s.logsDir, `${spec.name}.log`),
    // The shim next to containerd, runc and nft (kube-proxy) from Debian.
    env: { ...process.env, PATH: `${s.tools.nodeToolsDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` },
  });
  s.processes.push(proc);
  return proc;
}

async function waitFor<T>(s: Started, proc: ManagedProcess, what: string, ready: () => Promise<T | undefined>): Promise<T> {
  try {
    const value = await pollUntil(ready, {
      what,
      timeoutMs: s.timeoutMs,
      intervalMs: 200,
      abortIf: () => (proc.exitInfo ? `${proc.name} ${describeExit(proc.exitInfo)}` : undefined),
    });
    s.log(`${proc.name} ready (${what}); log: ${proc.logPath}`);
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new KubeControlPlaneError(
      'KUBE_PROCESS_EXITED',
      `${proc.name} did not start: ${message}\n--- last lines of ${proc.logPath} ---\n${proc.logTail()}`,
      { cause: error },
    );
  }
}

/** A GET inside the namespace through a fresh nsfwd port. */
async function probeInside(s: Started, scheme: 'http' | 'https', target: string, path: string, tls?: ProbeTls): Promise<number> {
  const forward = await s.forwarder.forward(target);
  try {
    return (await probeHttp(`${scheme}://127.0.0.1:${forward.port}${path}`, tls)).status;
  } finally {
    await forward.close();
  }
}

function unixSocketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function writeNodeFiles(dir: string, tools: ClusterTools, cgroupRoot: string, pki: Awaited<ReturnType<typeof createLocalClusterPki>>) {
  const etc = join(dir, 'etc');
  const paths: NodePaths = {
    containerdRoot: join(dir, 'containerd', 'root'),
    containerdState: join(dir, 'containerd', 'state'),
    containerdSocket: join(dir, 'containerd', 'containerd.sock'),
    containerdOpt: join(dir, 'containerd', 'opt'),
    cniBinDir: tools.cniBinDir,
    cniConfDir: join(etc, 'cni', 'net.d'),
    cniIpamDir: join(dir, 'cni-ipam'),
    runc: tools.runc,
  };
  await mkdir(paths.cniConfDir, { recursive: true });
  const kubeconfigs = await writeInClusterKubeconfigs(join(dir, 'pki'), pki);
  const files = {
    containerdConfig: join(etc, 'containerd.toml'),
    kubeletConfig: join(etc, 'kubelet.yaml'),
    kubeProxyConfig: join(etc, 'kube-proxy.yaml'),
    corefile: join(etc, 'Corefile'),
  };
  await Promise.all([
    writeFile(join(etc, 'node-ip'), `${NODE_IP}\n`),
    writeFile(join(etc, 'resolv.conf'), resolvConf()),
    writeFile(join(etc, 'hosts'), hostsFile()),
    writeFile(files.containerdConfig, containerdConfig(paths)),
    writeFile(join(paths.cniConfDir, '10-ringcast-test.conflist'), cniConfig(paths)),
    writeFile(
      files.kubeletConfig,
      kubeletConfig({
        containerdSocket: paths.containerdSocket,
        cgroupRoot: `/${cgroupRoot}`,
        clientCaFile: pki.ca.cert,
        servingCert: pki.kubeletServing.cert,
        servingKey: pki.kubeletServing.key,
        resolvConf: join(etc, 'resolv.conf'),
        volumePluginDir: join(dir, 'kubelet-plugins'),
      }),
    ),
    writeFile(files.kubeProxyConfig, kubeProxyConfig(kubeconfigs.kubeProxy)),
    writeFile(files.corefile, corefile(kubeconfigs.coredns)),
  ]);
  return { paths, kubeconfigs, files };
}

async function importImages(s: Started, socket: string, images: readonly ImageArchive[]): Promise<void> {
  for (const image of images) {
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      execFile(s.tools.ctr, ['--address', socket, '--namespace', 'k8s.io', 'images', 'import', image.archive], (error, _stdout, stderr) =>
        error ? reject(new Error(`ctr images import ${image.archive} failed: ${stderr.trim() || error.message}`)) : resolve(),
      );
    });
    s.log(`image ${image.ref} imported in ${Date.now() - started} ms`);
  }
}

function nodeReady(core: CoreV1Api) {
  return async (): Promise<true | undefined> => {
    const node = await core.readNode({ name: NODE_NAME });
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
  };
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  if (process.getuid?.() !== 0) {
    throw new KubeControlPlaneError(
      'KUBE_COMMAND_FAILED',
      'the local real-pods cluster needs root (it creates namespaces, cgroups and mounts): run as root, ' +
        'or use a kind cluster instead (make e2e-kind, RINGCAST_E2E_PROVIDER=kind)',
    );
  }
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'ringcast-pods-'));
  const logsDir = join(dir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const log = options.log ?? (() => {});
  const processes: ManagedProcess[] = [];
  const cgroupRoot = `ringcast-pods-${randomBytes(4).toString('hex')}`;
  await mkdir(join(dir, 'pki'), { recursive: true });
  const pki = await createLocalClusterPki(join(dir, 'pki'));
  const { paths, kubeconfigs, files } = await writeNodeFiles(dir, options.tools, cgroupRoot, pki);

  const ns = await startNodeNamespace(dir, cgroupRoot, options.tools.pause);
  const forwarder = startNsForwarder(options.tools.nsfwd, ns.pid);
  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: { keepDir?: boolean } = {}): Promise<void> => {
    stopping ??= (async () => {
      forwarder.stop();
      // Killing the namespace ends every daemon and container at once; the processes' own stop then only
      // releases their watchdogs.
      await ns.stop(stopOptions);
      for (const proc of processes) await proc.stop(1_000);
    })();
    return stopping;
  };

  const s: Started = { dir, logsDir, tools: options.tools, ns, forwarder, timeoutMs: options.startTimeoutMs ?? 120_000, log, processes };
  try {
    await pollUntil(async () => (existsSync(join(dir, 'ns-ready')) ? true : undefined), {
      what: `the node namespace (${join(logsDir, 'node-init.log')})`,
      timeoutMs: 10_000,
    });
    const ctx: daemons.DaemonContext = { dir, tools: options.tools, pki, kubeconfigs, files };

    const containerd = startDaemon(s, daemons.containerd(ctx));
    await waitFor(s, containerd, `containerd ${paths.containerdSocket}`, async () => ((await unixSocketAccepts(paths.containerdSocket)) ? true : undefined));
    await importImages(s, paths.containerdSocket, options.images);

    const etcd = startDaemon(s, daemons.etcd(ctx));
    await waitFor(s, etcd, 'etcd /health', async () => ((await probeInside(s, 'http', `127.0.0.1:${PORTS.etcdClient}`, '/health')) === 200 ? true : undefined));

    const adminTls = { caFile: pki.ca.cert, certFile: pki.admin.cert, keyFile: pki.admin.key };
    const apiserver = startDaemon(s, daemons.apiserver(ctx));
    await waitFor(s, apiserver, 'kube-apiserver /readyz', async () =>
      (await probeInside(s, 'https', `${NODE_IP}:${PORTS.apiserver}`, '/readyz', adminTls)) === 200 ? true : undefined,
    );
    // The host's way in for the whole run: one loopback port (127.0.0.1 is in the serving certificate).
    const apiForward = await forwarder.forward(`${NODE_IP}:${PORTS.apiserver}`);
    const server = `https://127.0.0.1:${apiForward.port}`;
    const adminKubeconfigPath = await writeKubeconfig(join(dir, 'admin.kubeconfig'), {
      server,
      caData: base64File(pki.ca.cert),
      userName: 'ringcast-test-admin',
      credentials: { kind: 'client-certificate', certFile: pki.admin.cert, keyFile: pki.admin.key },
    });

    const probes: [daemons.DaemonSpec, string, () => Promise<number>][] = [
      [daemons.controllerManager(ctx), 'kube-controller-manager /healthz', () => probeInside(s, 'https', `127.0.0.1:${PORTS.controllerManager}`, '/healthz', { caFile: pki.ca.cert })],
      [daemons.scheduler(ctx), 'kube-scheduler /healthz', () => probeInside(s, 'https', `127.0.0.1:${PORTS.scheduler}`, '/healthz', { caFile: pki.ca.cert })],
      [daemons.coredns(ctx), 'CoreDNS /ready', () => probeInside(s, 'http', `127.0.0.1:${PORTS.corednsReady}`, '/ready')],
      [daemons.kubelet(ctx), 'kubelet /healthz', () => probeInside(s, 'http', `127.0.0.1:${PORTS.kubeletHealthz}`, '/healthz')],
      [daemons.kubeProxy(ctx), 'kube-proxy /healthz', () => probeInside(s, 'http', `127.0.0.1:${PORTS.kubeProxyHealthz}`, '/healthz')],
    ];
    // Started together: each of them needs only the API server.
    const started = probes.map(([spec, what, check]) => ({ proc: startDaemon(s, spec), what, check }));
    await Promise.all(started.map(({ proc, what, check }) => waitFor(s, proc, what, async () => ((await check()) === 200 ? true : undefined))));

    const kc = new KubeConfig();
    kc.loadFromFile(adminKubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const kubelet = started.find(({ proc }) => proc.name === 'kubelet')?.proc ?? apiserver;
    await waitFor(s, kubelet, `node ${NODE_NAME} Ready`, nodeReady(core));
    const controllerManager = started.find(({ proc }) => proc.name === 'kube-controller-manager')?.proc ?? apiserver;
    await waitFor(s, controllerManager, 'ServiceAccount default/default', async () =>
      (await core.readNamespacedServiceAccount({ namespace: 'default', name: 'default' })) ? true : undefined,
    );

    return { dir, logsDir, nsPid: ns.pid, server, adminKubeconfigPath, nodeName: NODE_NAME, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

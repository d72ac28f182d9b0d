// Where the real-pods cluster's binaries are: kube-tools (control plane, kubelet, kube-scheduler,
// kube-proxy, kubectl; mk/kube.mk), node-tools (containerd, shim, ctr, CNI plugins, CoreDNS, nsfwd,
// pause; mk/node-tools.mk) and Debian's runc and nft. The node-tools tag mirrors NODE_TOOLS_TAG in
// mk/node-tools.mk: keep the two in step.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KubeControlPlaneError } from '../helpers/kube-errors.js';
import { resolveKubeToolsDir, type KubeToolsEnv } from '../helpers/kube-tools-path.js';

export interface ClusterToolsEnv extends KubeToolsEnv {
  readonly RINGCAST_NODE_TOOLS_DIR?: string | undefined;
  readonly PATH?: string | undefined;
}

export interface ClusterTools {
  readonly kubeToolsDir: string;
  readonly nodeToolsDir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly kubectl: string;
  readonly helm: string;
  readonly containerd: string;
  readonly ctr: string;
  readonly coredns: string;
  readonly nsfwd: string;
  readonly pause: string;
  /** containerd-shim-runc-v2 and the CNI plugins live here too. */
  readonly cniBinDir: string;
  readonly runc: string;
  readonly nft: string;
}

export const nodeToolsModuleDir = fileURLToPath(new URL('../node-tools/', import.meta.url));

function requiredVersion(goMod: string, module: string): string {
  for (const line of goMod.split('\n')) {
    const [path, version] = line.trim().split(/\s+/);
    if (path === module && version?.startsWith('v')) return version;
  }
  throw new KubeControlPlaneError('KUBE_TOOLS_MISSING', `test/node-tools/go.mod does not require ${module}`);
}

/** `containerd-<v>_cni-<v>_coredns-<v>_<first 8 hex of sha256(go.mod ‖ go.sum ‖ each <dir>/main.go)>`, as in mk/node-tools.mk. */
export function nodeToolsTag(moduleDir: string = nodeToolsModuleDir): string {
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const hash = createHash('sha256').update(goMod).update(readFileSync(join(moduleDir, 'go.sum')));
  for (const entry of readdirSync(moduleDir).sort()) {
    const main = join(moduleDir, entry, 'main.go');
    if (existsSync(main)) hash.update(readFileSync(main));
  }
  const containerd = requiredVersion(goMod, 'github.com/containerd/containerd/v2');
  const cni = requiredVersion(goMod, 'github.com/containernetworking/plugins');
  const coredns = requiredVersion(goMod, 'github.com/coredns/coredns');
  return `containerd-${containerd}_cni-${cni}_coredns-${coredns}_${hash.digest('hex').slice(0, 8)}`;
}

export function resolveNodeToolsDir(env: ClusterToolsEnv): string {
  if (env.RINGCAST_NODE_TOOLS_DIR) return env.RINGCAST_NODE_TOOLS_DIR;
  const cacheHome = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  if (!cacheHome) {
    throw new KubeControlPlaneError('KUBE_TOOLS_MISSING', 'cannot locate the node-tools cache: set HOME, XDG_CACHE_HOME or RINGCAST_NODE_TOOLS_DIR');
  }
  return join(cacheHome, 'ringcast', 'node-tools', nodeToolsTag());
}

function findInPath(env: ClusterToolsEnv, name: string): string | undefined {
  const dirs = [...(env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find((file) => isExecutable(file));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Paths of every binary; throws a KUBE_TOOLS_MISSING error naming the make target for any that is absent. */
export function resolveClusterTools(env: ClusterToolsEnv): ClusterTools {
  const kube = resolveKubeToolsDir(env);
  const node = resolveNodeToolsDir(env);
  const tools: ClusterTools = {
    kubeToolsDir: kube,
    nodeToolsDir: node,
    etcd: join(kube, 'etcd'),
    kubeApiserver: join(kube, 'kube-apiserver'),
    kubeControllerManager: join(kube, 'kube-controller-manager'),
    kubeScheduler: join(kube, 'kube-scheduler'),
    kubelet: join(kube, 'kubelet'),
    kubeProxy: join(kube, 'kube-proxy'),
    kubectl: join(kube, 'kubectl'),
    helm: join(kube, 'helm'),
    containerd: join(node, 'containerd'),
    ctr: join(node, 'ctr'),
    coredns: join(node, 'coredns'),
    nsfwd: join(node, 'nsfwd'),
    pause: join(node, 'pause'),
    cniBinDir: node,
    runc: findInPath(env, 'runc') ?? 'runc',
    nft: findInPath(env, 'nft') ?? 'nft',
  };
  const expected = [
    ...['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'].map((b) => ({ file: join(kube, b), make: 'make kube-tools' })),
    ...['containerd', 'containerd-shim-runc-v2', 'ctr', 'bridge', 'host-local', 'loopback', 'portmap', 'coredns', 'nsfwd', 'pause'].map((b) => ({ file: join(node, b), make: 'make node-tools' })),
    { file: tools.runc, make: 'make system-deps (Debian package runc)' },
    { file: tools.nft, make: 'make system-deps (Debian package nftables)' },
  ];
  const missing = expected.filter(({ file }) => !isExecutable(file));
  if (missing.length > 0) {
    throw new KubeControlPlaneError(
      'KUBE_TOOLS_MISSING',
      `real-pods cluster binaries missing: ${missing.map(({ file, make }) => `${file} (${make})`).join(', ')}`,
    );
  }
  return tools;
}

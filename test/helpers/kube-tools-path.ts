// Where `make kube-tools` puts etcd, kube-apiserver, kube-controller-manager and helm.
// Mirrors KUBE_TOOLS_DIR in mk/kube.mk: keep the two in step.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KubeControlPlaneError } from './kube-errors.js';

/** The environment variables the path depends on (pass `process.env`). */
export interface KubeToolsEnv {
  readonly RINGCAST_KUBE_TOOLS_DIR?: string | undefined;
  readonly XDG_CACHE_HOME?: string | undefined;
  readonly HOME?: string | undefined;
}

export interface KubeToolPaths {
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly helm: string;
}

/** test/kube-tools, the Go module that pins the versions. */
export const kubeToolsModuleDir = fileURLToPath(new URL('../kube-tools/', import.meta.url));

function requiredVersion(goMod: string, module: string): string {
  for (const line of goMod.split('\n')) {
    const [path, version] = line.trim().split(/\s+/);
    if (path === module && version?.startsWith('v')) return version;
  }
  throw new KubeControlPlaneError('KUBE_TOOLS_MISSING', `test/kube-tools/go.mod does not require ${module}`);
}

/** `k8s-<v>_etcd-<v>_helm-<v>_<first 8 hex of sha256(go.mod ‖ go.sum)>`, as in mk/kube.mk. */
export function kubeToolsTag(goMod: string, goSum: string): string {
  const hash = createHash('sha256').update(goMod).update(goSum).digest('hex').slice(0, 8);
  const kube = requiredVersion(goMod, 'k8s.io/kubernetes');
  const etcd = requiredVersion(goMod, 'go.etcd.io/etcd/server/v3');
  const helm = requiredVersion(goMod, 'helm.sh/helm/v3');
  return `k8s-${kube}_etcd-${etcd}_helm-${helm}_${hash}`;
}

export function resolveKubeToolsDir(env: KubeToolsEnv): string {
  if (env.RINGCAST_KUBE_TOOLS_DIR) return env.RINGCAST_KUBE_TOOLS_DIR;
  const cacheHome = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  if (!cacheHome) {
    throw new KubeControlPlaneError(
      'KUBE_TOOLS_MISSING',
      'cannot locate the kube-tools cache: set HOME, XDG_CACHE_HOME or RINGCAST_KUBE_TOOLS_DIR',
    );
  }
  const goMod = readFileSync(join(kubeToolsModuleDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(join(kubeToolsModuleDir, 'go.sum'), 'utf8');
  return join(cacheHome, 'ringcast', 'kube-tools', kubeToolsTag(goMod, goSum));
}

/** Paths of the four binaries; throws a KUBE_TOOLS_MISSING error naming `make kube-tools` if any is absent. */
export function resolveKubeToolPaths(env: KubeToolsEnv): KubeToolPaths {
  const dir = resolveKubeToolsDir(env);
  const paths: KubeToolPaths = {
    dir,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    helm: join(dir, 'helm'),
  };
  const missing = [paths.etcd, paths.kubeApiserver, paths.kubeControllerManager, paths.helm].filter((file) => {
    try {
      accessSync(file, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new KubeControlPlaneError(
      'KUBE_TOOLS_MISSING',
      `Kubernetes test binaries missing: ${missing.join(', ')}. Run \`make kube-tools\` first ` +
        '(or point RINGCAST_KUBE_TOOLS_DIR at a directory holding etcd, kube-apiserver, ' +
        'kube-controller-manager and helm).',
    );
  }
  return paths;
}

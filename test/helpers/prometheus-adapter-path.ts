// Where `make prometheus-adapter` puts prometheus-adapter. Mirrors ADAPTER_DIR in mk/prometheus-adapter.mk: keep
// the two in step.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const adapterModuleDir = fileURLToPath(new URL('../prometheus-adapter/', import.meta.url));

/** `prometheus-adapter-<version>_<first 8 hex of sha256(go.mod ‖ go.sum)>`, as in the Makefile. */
export function adapterTag(goMod: string, goSum: string): string {
  const version = /^require\s+sigs\.k8s\.io\/prometheus-adapter\s+(v\S+)/m.exec(goMod)?.[1] ?? /^\s+sigs\.k8s\.io\/prometheus-adapter\s+(v\S+)/m.exec(goMod)?.[1];
  if (!version) throw new Error('test/prometheus-adapter/go.mod does not require sigs.k8s.io/prometheus-adapter');
  const hash = createHash('sha256').update(goMod).update(goSum).digest('hex').slice(0, 8);
  return `prometheus-adapter-${version}_${hash}`;
}

/** The adapter binary; throws naming `make prometheus-adapter` when it is missing. */
export function resolvePrometheusAdapter(env: NodeJS.ProcessEnv): string {
  let dir = env['RINGCAST_PROMETHEUS_ADAPTER_DIR'];
  if (!dir) {
    const cacheHome = env['XDG_CACHE_HOME'] || (env['HOME'] ? join(env['HOME'], '.cache') : undefined);
    if (!cacheHome) throw new Error('cannot locate the prometheus-adapter cache: set HOME, XDG_CACHE_HOME or RINGCAST_PROMETHEUS_ADAPTER_DIR');
    const goMod = readFileSync(join(adapterModuleDir, 'go.mod'), 'utf8');
    const goSum = readFileSync(join(adapterModuleDir, 'go.sum'), 'utf8');
    dir = join(cacheHome, 'ringcast', 'prometheus-adapter', adapterTag(goMod, goSum));
  }
  const binary = join(dir, 'prometheus-adapter');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`prometheus-adapter missing at ${binary}: run \`make prometheus-adapter\` (make test does)`);
  }
  return binary;
}

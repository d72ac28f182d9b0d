// vitest globalSetup of the `pods` project: one cluster with real pods for the whole run, from the
// provider RINGCAST_E2E_PROVIDER names (`local`, the default: the namespaced single-node cluster of
// local-cluster.ts; `kind`: a kind cluster), with the images of `make image`. Torn down afterwards,
// whether tests passed or not; the local cluster's watchdog also tears it down if this process dies.
import type { TestProject } from 'vitest/node';

import { resolveClusterTools } from './cluster-tools-path.js';
import { readImageIndex } from './image-index.js';
import { startKindCluster } from './kind-cluster.js';
import { startLocalCluster } from './local-cluster.js';
import { parseProvider, type PodsClusterInfo } from './pods-cluster-info.js';

declare module 'vitest' {
  export interface ProvidedContext {
    podsCluster: PodsClusterInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provider = parseProvider(process.env['RINGCAST_E2E_PROVIDER']);
  const imagesDir = process.env['RINGCAST_IMAGES_DIR'];
  const index = readImageIndex(['ringcast', 'redis'], imagesDir);
  const images = { ringcast: index.ringcast.ref, redis: index.redis.ref };
  const log = (message: string): void => console.log(`pods: ${message}`);
  const started = Date.now();
  if (provider === 'kind') {
    const cluster = await startKindCluster({ images: [index.ringcast, index.redis], log });
    log(`kind cluster ${cluster.name} up in ${Date.now() - started} ms`);
    project.provide('podsCluster', { provider, adminKubeconfigPath: cluster.adminKubeconfigPath, images });
    return () => cluster.stop();
  }
  const tools = resolveClusterTools(process.env);
  const { pause } = readImageIndex(['pause'], imagesDir);
  const cluster = await startLocalCluster({ tools, images: [pause, index.ringcast, index.redis], log });
  log(`local cluster up in ${Date.now() - started} ms at ${cluster.server} (${cluster.dir})`);
  project.provide('podsCluster', {
    provider,
    adminKubeconfigPath: cluster.adminKubeconfigPath,
    images,
    logsDir: cluster.logsDir,
    nsPid: cluster.nsPid,
    nsfwd: tools.nsfwd,
    kubeToolsDir: tools.kubeToolsDir,
  });
  return () => cluster.stop();
}

// vitest globalSetup of the `e2e` project: one control plane (etcd, kube-apiserver,
// kube-controller-manager) for the whole run, torn down afterwards whether tests passed or not.
// Test files get the admin kubeconfig through inject() (see kube-test-context.ts) and work in their
// own namespaces (kube-namespace.ts). The provided keys are typed in kube-test-context.ts.
import type { TestProject } from 'vitest/node';

import { startControlPlane } from './kube-control-plane.js';
import { resolveKubeToolPaths } from './kube-tools-path.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tools = resolveKubeToolPaths(process.env);
  const started = Date.now();
  const controlPlane = await startControlPlane({ tools, controllerManager: true });
  console.log(`e2e: control plane up in ${Date.now() - started} ms at ${controlPlane.server} (${controlPlane.dir})`);
  project.provide('kubeAdminKubeconfig', controlPlane.adminKubeconfigPath);
  project.provide('kubeServer', controlPlane.server);
  project.provide('kubeEtcdUrl', controlPlane.etcdUrl);
  project.provide('kubeToolsDir', tools.dir);
  return () => controlPlane.stop();
}

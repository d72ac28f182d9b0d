// What the e2e globalSetup (kube-global-setup.ts) hands to test files through vitest's provide/inject.
import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin (system:masters) kubeconfig of the run's control plane. */
    kubeAdminKubeconfig: string;
    /** API server URL, https://127.0.0.1:<port>. */
    kubeServer: string;
    /** etcd client URL, http://127.0.0.1:<port>. */
    kubeEtcdUrl: string;
    /** Directory holding etcd, kube-apiserver, kube-controller-manager and helm. */
    kubeToolsDir: string;
  }
}

export function adminKubeconfigPath(): string {
  return inject('kubeAdminKubeconfig');
}

/** A fresh KubeConfig for the admin user (each call loads the file again; cheap). */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfigPath());
  return kc;
}

export function etcdUrl(): string {
  return inject('kubeEtcdUrl');
}

export function kubeToolsDir(): string {
  return inject('kubeToolsDir');
}

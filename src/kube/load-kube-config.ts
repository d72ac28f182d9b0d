import { KubeConfig } from '@kubernetes/client-node';

/**
 * Kubernetes credentials: a kubeconfig file when a path is given (a node or operator run outside the cluster),
 * otherwise the pod's service account (token, CA and API address mounted by Kubernetes).
 */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromCluster();
  return kc;
}

/** The namespace of the kubeconfig's current context (used when none is configured). */
export function contextNamespace(kc: KubeConfig): string | undefined {
  const context = kc.getContextObject(kc.getCurrentContext());
  return context?.namespace || undefined;
}

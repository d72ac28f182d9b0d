// A kubeconfig acting as a ServiceAccount: a bound token from the TokenRequest API
// (POST .../serviceaccounts/<name>/token), against the same server and CA as the admin config.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

import { KubeControlPlaneError } from './kube-errors.js';
import { renderKubeconfig } from './kube-kubeconfig.js';

export interface ServiceAccountKubeconfigOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Token lifetime; the API server's minimum is 600 s. Default 3600 s. */
  readonly expirationSeconds?: number;
}

export interface ServiceAccountKubeconfig {
  /** Kubeconfig YAML (write it to a file for processes such as helm or the operator). */
  readonly yaml: string;
  readonly kubeConfig: KubeConfig;
}

export async function mintServiceAccountKubeconfig(
  admin: KubeConfig,
  options: ServiceAccountKubeconfigOptions,
): Promise<ServiceAccountKubeconfig> {
  const cluster = admin.getCurrentCluster();
  if (!cluster?.caData) {
    throw new KubeControlPlaneError(
      'KUBE_COMMAND_FAILED',
      'the admin kubeconfig has no current cluster with embedded certificate-authority-data',
    );
  }
  const tokenRequest = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    namespace: options.namespace,
    name: options.serviceAccount,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds: options.expirationSeconds ?? 3_600 },
    },
  });
  const token = tokenRequest.status?.token;
  if (!token) {
    throw new KubeControlPlaneError(
      'KUBE_COMMAND_FAILED',
      `TokenRequest for ${options.namespace}/${options.serviceAccount} returned no token`,
    );
  }
  const yaml = renderKubeconfig({
    server: cluster.server,
    caData: cluster.caData,
    userName: `system:serviceaccount:${options.namespace}:${options.serviceAccount}`,
    credentials: { kind: 'token', token },
    namespace: options.namespace,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yaml);
  return { yaml, kubeConfig };
}

// Kubeconfig files for the test control plane: certificate users (admin, controllers) and
// bearer-token users (ServiceAccounts). Credentials are embedded so a file works on its own.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export type KubeconfigCredentials =
  | { readonly kind: 'client-certificate'; readonly certFile: string; readonly keyFile: string }
  | { readonly kind: 'token'; readonly token: string };

export interface KubeconfigSpec {
  readonly server: string;
  /** The cluster CA certificate, PEM, base64-encoded (kubeconfig `certificate-authority-data`). */
  readonly caData: string;
  readonly userName: string;
  readonly credentials: KubeconfigCredentials;
  /** Default namespace of the context. */
  readonly namespace?: string;
}

const CLUSTER_NAME = 'ringcast-test';

export function base64File(path: string): string {
  return readFileSync(path).toString('base64');
}

export function renderKubeconfig(spec: KubeconfigSpec): string {
  const user =
    spec.credentials.kind === 'token'
      ? { token: spec.credentials.token }
      : {
          'client-certificate-data': base64File(spec.credentials.certFile),
          'client-key-data': base64File(spec.credentials.keyFile),
        };
  const contextName = `${spec.userName}@${CLUSTER_NAME}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: CLUSTER_NAME, cluster: { server: spec.server, 'certificate-authority-data': spec.caData } },
    ],
    users: [{ name: spec.userName, user }],
    contexts: [
      {
        name: contextName,
        context: { cluster: CLUSTER_NAME, user: spec.userName, ...(spec.namespace ? { namespace: spec.namespace } : {}) },
      },
    ],
    'current-context': contextName,
  });
}

/** Writes the kubeconfig readable by the owner only (it holds credentials) and returns its path. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<string> {
  await writeFile(path, renderKubeconfig(spec), { mode: 0o600 });
  return path;
}

// One namespace per test (or test file), with a unique name, so tests sharing the control plane never
// see each other's objects.
import { randomBytes } from 'node:crypto';

import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

import { apiStatusCode } from './kube-api-status.js';

/** Creates `<prefix>-<random>` (prefix is cut so the name stays a valid DNS label) and returns the name. */
export async function createTestNamespace(kc: KubeConfig, prefix = 'e2e'): Promise<string> {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'e2e';
  const name = `${base}-${randomBytes(4).toString('hex')}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name, labels: { 'test.ringcast.dev/e2e': 'true' } } },
  });
  return name;
}

/** Deletes the namespace (its objects go with it once the namespace controller runs); a missing one is fine. */
export async function deleteTestNamespace(kc: KubeConfig, name: string): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name });
  } catch (error) {
    if (apiStatusCode(error) !== 404) throw error;
  }
}

import { randomBytes } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import type { ClusterRef } from './cluster-ref.js';
import { ownerReference } from './cluster-ref.js';
import { childLabels } from './labels.js';
import { childNames, credentialKeys } from './names.js';

export type CredentialKey = (typeof credentialKeys)[keyof typeof credentialKeys];

/** The keys the operator must generate: those the user did not reference, and the managed Redis password. */
export function generatedCredentialKeys(cluster: ClusterRef): CredentialKey[] {
  const { spec } = cluster;
  const keys: CredentialKey[] = [];
  if (!spec.secrets?.tokenHmacSecretKey) keys.push(credentialKeys.tokenHmacSecretKey);
  if (!spec.secrets?.apiKey) keys.push(credentialKeys.apiKey);
  if (spec.redis.managed) keys.push(credentialKeys.redisPassword);
  return keys;
}

/** 256 random bits, URL-safe (usable in a Redis `requirepass` argument and an HTTP header alike). */
export function generateSecretValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The values to store: existing ones are kept as they are (the operator never rotates a secret on its own), and
 * only keys that are missing are generated.
 */
export function credentialValues(
  required: readonly CredentialKey[],
  existing: Record<string, string> | undefined,
  generate: () => string = generateSecretValue,
): { values: Record<string, string>; generated: CredentialKey[] } {
  const values: Record<string, string> = {};
  const generated: CredentialKey[] = [];
  for (const key of required) {
    const current = existing?.[key];
    if (current !== undefined && current !== '') {
      values[key] = current;
    } else {
      values[key] = generate();
      generated.push(key);
    }
  }
  return { values, generated };
}

/** The credentials Secret with the given (base64) data. */
export function buildCredentialsSecret(cluster: ClusterRef, data: Record<string, string>): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: childNames(cluster.name).credentials,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'credentials'),
      ownerReferences: [ownerReference(cluster)],
    },
    type: 'Opaque',
    data,
  };
}

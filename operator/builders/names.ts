// Names of a RealtimeCluster's children, all derived from the cluster's name (the CRD keeps that name short
// enough for every suffix here and for the labels Kubernetes derives from them).

export const childNames = (cluster: string) => ({
  credentials: `${cluster}-credentials`,
  nodeConfig: `${cluster}-node-config`,
  nodeServiceAccount: `${cluster}-node`,
  nodeRole: `${cluster}-node`,
  nodeRoleBinding: `${cluster}-node`,
  nodeDeployment: `${cluster}-node`,
  nodeDisruptionBudget: `${cluster}-node`,
  clientService: cluster,
  redisStatefulSet: `${cluster}-redis`,
  redisService: `${cluster}-redis`,
  redisDisruptionBudget: `${cluster}-redis`,
  autoscaler: cluster,
});

/** The pod (and shard) name of Redis shard `index`: StatefulSet ordinals are the shard indexes. */
export function redisShardName(cluster: string, index: number): string {
  return `${childNames(cluster).redisStatefulSet}-${index}`;
}

/** Keys of the generated credentials Secret. */
export const credentialKeys = {
  tokenHmacSecretKey: 'token-hmac-secret-key',
  apiKey: 'api-key',
  redisPassword: 'redis-password',
} as const;

import type { V1ConfigMap } from '@kubernetes/client-node';
import type { RawObject } from '../../src/config/raw-tree.js';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels } from './labels.js';
import { childNames } from './names.js';

export const NODE_CONFIG_KEY = 'config.json';
export const NODE_CONFIG_DIR = '/etc/ringcast';

/** The node configuration file, mounted into every node pod. */
export function buildNodeConfigMap(cluster: ClusterRef, config: RawObject): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: childNames(cluster.name).nodeConfig,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'config'),
      ownerReferences: [ownerReference(cluster)],
    },
    data: { [NODE_CONFIG_KEY]: `${JSON.stringify(config, null, 2)}\n` },
  };
}

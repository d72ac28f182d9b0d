import type { V1Service } from '@kubernetes/client-node';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { childLabels, selectorLabels } from './labels.js';
import { childNames } from './names.js';

/** The Service clients (WebSocket, SSE, HTTP streaming) and backends (HTTP API) reach the nodes through. */
export function buildClientService(cluster: ClusterRef): V1Service {
  const { service } = cluster.spec;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: childNames(cluster.name).clientService,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'service'),
      ...(service.annotations ? { annotations: service.annotations } : {}),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      type: service.type,
      selector: selectorLabels(cluster.name, 'node'),
      ports: [{ name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

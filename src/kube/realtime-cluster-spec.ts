import { z } from 'zod';

// The RealtimeCluster's spec as TypeScript sees it. crds/realtimeclusters.ringcast.dev.yaml is the source: the
// shapes, bounds and defaults here must match it, which test/unit/src/kube/realtime-cluster-crd.test.ts checks.
// The API server applies the CRD's defaults before the operator sees an object; parsing applies them again so
// the builders get complete values from hand-made objects (tests) too.

/** A Go-style duration as the CRD accepts it for drain settings: "30s", "1m30s", "500ms". */
const drainDuration = z.string().max(32).regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/);
/** A Kubernetes quantity: 2, "500m", "1Gi" (the API server's own pattern for resource.Quantity). */
const quantity = z.union([
  z.number().int(),
  z.string().regex(/^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/),
]);
const stringMap = z.record(z.string(), z.string());
const secretKeyRef = z.object({ name: z.string().max(253), key: z.string().max(253) });
const resources = z.object({
  requests: z.record(z.string(), quantity).optional(),
  limits: z.record(z.string(), quantity).optional(),
});

const drainSchema = z.object({
  window: drainDuration.default('30s'),
  preStopDelay: drainDuration.default('5s'),
});

const nodesSchema = z.object({
  replicas: z.number().int().min(0).max(1000).default(2),
  port: z.number().int().min(1).max(65535).default(8000),
  resources: resources.optional(),
  drain: drainSchema.prefault({}),
  nodeSelector: stringMap.optional(),
  tolerations: z.array(z.record(z.string(), z.unknown())).max(32).optional(),
  affinity: z.record(z.string(), z.unknown()).optional(),
  priorityClassName: z.string().max(253).optional(),
  podAnnotations: stringMap.optional(),
  podLabels: stringMap.optional(),
});

const managedRedisSchema = z.object({
  shards: z.number().int().min(1).max(128).default(1),
  image: z.string().max(512).default('redis:7.4'),
  resources: resources.optional(),
  persistence: z
    .object({
      enabled: z.boolean().default(false),
      size: quantity.default('1Gi'),
      storageClassName: z.string().max(253).optional(),
    })
    .optional(),
});

const externalRedisSchema = z.object({
  addresses: z
    .array(z.string().max(512).regex(/^rediss?:\/\/[^\s/]+(\/[0-9]*)?$/))
    .min(1)
    .max(128),
  passwordSecretRef: secretKeyRef.optional(),
});

const redisSchema = z.object({
  managed: managedRedisSchema.optional(),
  external: externalRedisSchema.optional(),
  prefix: z.string().max(128).optional(),
  confirmShardRemoval: z.boolean().optional(),
});

const autoscalingSchema = z.object({
  enabled: z.boolean().default(false),
  provider: z.enum(['HPA', 'KEDA']).default('HPA'),
  minReplicas: z.number().int().min(1).max(1000).default(2),
  maxReplicas: z.number().int().min(1).max(1000).default(10),
  targetConnectionsPerNode: z.number().int().min(1).max(10_000_000).default(5000),
  scaleDownStabilizationWindowSeconds: z.number().int().min(0).max(3600).default(300),
});

const serviceSchema = z.object({
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
  port: z.number().int().min(1).max(65535).default(8000),
  annotations: stringMap.optional(),
});

export const realtimeClusterSpecSchema = z.object({
  image: z.string().max(512).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(z.object({ name: z.string().max(253) })).max(16).optional(),
  nodes: nodesSchema.prefault({}),
  redis: redisSchema.prefault({ managed: { shards: 1 } }),
  autoscaling: autoscalingSchema.optional(),
  /**
   * The node configuration in Centrifugo key names. The CRD types `channel.*` (for `kubectl explain`) and keeps
   * the rest open; the operator validates the whole of it with the node's own config loader.
   */
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: z
    .object({
      tokenHmacSecretKey: secretKeyRef.optional(),
      apiKey: secretKeyRef.optional(),
    })
    .optional(),
  service: serviceSchema.prefault({}),
});

export type RealtimeClusterSpec = z.output<typeof realtimeClusterSpecSchema>;
export type SecretKeyRef = z.output<typeof secretKeyRef>;
export type ResourceRequirements = z.output<typeof resources>;
export type ManagedRedis = z.output<typeof managedRedisSchema>;
export type ExternalRedis = z.output<typeof externalRedisSchema>;

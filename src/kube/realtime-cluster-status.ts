import { z } from 'zod';

// The RealtimeCluster's status as the operator writes it and nodes read it (shape checked against the CRD by
// test/unit/src/kube/realtime-cluster-crd.test.ts).

export const conditionSchema = z.object({
  type: z.string().max(316),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: z.string(),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32768),
});

export const ringShardStatusSchema = z.object({
  index: z.number().int().min(0),
  name: z.string(),
  address: z.string(),
  ready: z.boolean(),
});

export const ringStatusSchema = z.object({
  version: z.number().int().min(1),
  size: z.number().int().min(0),
  shards: z.array(ringShardStatusSchema).max(128),
});

export const realtimeClusterStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  conditions: z.array(conditionSchema).max(8).optional(),
  ring: ringStatusSchema.optional(),
  nodes: z
    .object({
      desired: z.number().int().optional(),
      current: z.number().int().optional(),
      ready: z.number().int().optional(),
      updated: z.number().int().optional(),
    })
    .optional(),
  connections: z.number().int().optional(),
  selector: z.string().optional(),
  endpoints: z
    .object({
      websocket: z.string().optional(),
      api: z.string().optional(),
      credentialsSecret: z.string().optional(),
    })
    .optional(),
});

export type Condition = z.output<typeof conditionSchema>;
export type RingShardStatus = z.output<typeof ringShardStatusSchema>;
export type RingStatus = z.output<typeof ringStatusSchema>;
export type RealtimeClusterStatus = z.output<typeof realtimeClusterStatusSchema>;

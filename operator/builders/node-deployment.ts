import type { V1Deployment, V1EnvVar, V1SecretKeySelector } from '@kubernetes/client-node';
import type { RawObject } from '../../src/config/raw-tree.js';
import { isPlainObject } from '../../src/config/raw-tree.js';
import { ownerReference, type ClusterRef } from './cluster-ref.js';
import { durationToMs, msToSecondsCeil } from './durations.js';
import { childLabels, selectorLabels } from './labels.js';
import { childNames, credentialKeys } from './names.js';
import { NODE_CONFIG_DIR, NODE_CONFIG_KEY } from './node-configmap.js';
import { containerResources } from './resources.js';

export const CONFIG_HASH_ANNOTATION = 'ringcast.dev/config-hash';
/** The unprivileged user and group node containers run as. */
export const NODE_UID = 65532;
/** Seconds a pod gets after its drain window before the kubelet kills it. */
export const TERMINATION_MARGIN_SECONDS = 15;

export interface NodeDeploymentInput {
  cluster: ClusterRef;
  image: string;
  /** The node configuration (for the health path) and the hash of its restart-needing part. */
  config: RawObject;
  restartHash: string;
}

function healthPath(config: RawObject): string {
  const health = config['health'];
  const prefix = isPlainObject(health) && typeof health['handler_prefix'] === 'string' ? health['handler_prefix'] : '';
  return prefix || '/health';
}

function secretEnv(name: string, ref: V1SecretKeySelector): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: ref } };
}

/** Environment of a node: who it is, which RealtimeCluster it follows, and its secrets (never in the ConfigMap). */
function nodeEnv(cluster: ClusterRef): V1EnvVar[] {
  const { spec } = cluster;
  const credentials = childNames(cluster.name).credentials;
  const generated = (key: string): V1SecretKeySelector => ({ name: credentials, key });
  const env: V1EnvVar[] = [
    { name: 'RINGCAST_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    // The RealtimeCluster the node follows (also in its config file; the environment makes it visible in the pod).
    { name: 'RINGCAST_KUBERNETES_CLUSTER', value: cluster.name },
    { name: 'RINGCAST_KUBERNETES_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    secretEnv('RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY', spec.secrets?.tokenHmacSecretKey ?? generated(credentialKeys.tokenHmacSecretKey)),
    secretEnv('RINGCAST_HTTP_API_KEY', spec.secrets?.apiKey ?? generated(credentialKeys.apiKey)),
  ];
  if (spec.redis.managed) {
    env.push(secretEnv('RINGCAST_ENGINE_REDIS_PASSWORD', generated(credentialKeys.redisPassword)));
  } else if (spec.redis.external?.passwordSecretRef) {
    env.push(secretEnv('RINGCAST_ENGINE_REDIS_PASSWORD', spec.redis.external.passwordSecretRef));
  }
  return env;
}

/**
 * The node pods. A stopping pod first keeps serving for the preStop delay (while the Service forgets it), then gets
 * SIGTERM and drains over the window; the grace period covers both. The config hash on the template rolls the pods
 * when something they cannot take live changes.
 */
export function buildNodeDeployment(input: NodeDeploymentInput): V1Deployment {
  const { cluster, image } = input;
  const { spec } = cluster;
  const names = childNames(cluster.name);
  const selector = selectorLabels(cluster.name, 'node');
  const preStopSeconds = msToSecondsCeil(durationToMs(spec.nodes.drain.preStopDelay));
  const drainSeconds = msToSecondsCeil(durationToMs(spec.nodes.drain.window));
  const probePath = healthPath(input.config);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: names.nodeDeployment,
      namespace: cluster.namespace,
      labels: childLabels(cluster.name, 'node'),
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      replicas: spec.nodes.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      // Never below the wanted capacity while rolling: clients of a replaced pod need somewhere to go.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { ...(spec.nodes.podLabels ?? {}), ...childLabels(cluster.name, 'node') },
          annotations: { ...(spec.nodes.podAnnotations ?? {}), [CONFIG_HASH_ANNOTATION]: input.restartHash },
        },
        spec: {
          serviceAccountName: names.nodeServiceAccount,
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: preStopSeconds + drainSeconds + TERMINATION_MARGIN_SECONDS,
          // A fixed unprivileged user (the image must not need a writable root or a named user).
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_UID,
            runAsGroup: NODE_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
          ],
          ...(spec.imagePullSecrets ? { imagePullSecrets: spec.imagePullSecrets } : {}),
          ...(spec.nodes.nodeSelector ? { nodeSelector: spec.nodes.nodeSelector } : {}),
          ...(spec.nodes.tolerations ? { tolerations: spec.nodes.tolerations } : {}),
          ...(spec.nodes.affinity ? { affinity: spec.nodes.affinity } : {}),
          ...(spec.nodes.priorityClassName ? { priorityClassName: spec.nodes.priorityClassName } : {}),
          containers: [
            {
              name: 'node',
              image,
              ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
              args: ['serve', '--config', `${NODE_CONFIG_DIR}/${NODE_CONFIG_KEY}`],
              ports: [{ name: 'http', containerPort: spec.nodes.port, protocol: 'TCP' }],
              env: nodeEnv(cluster),
              // Started = answers at all (a node waits for its ring before it listens: allow minutes, so slow
              // Redis pods do not get it restarted); ready = serving and not draining; alive = the loop answers.
              startupProbe: {
                httpGet: { path: `${probePath}/live`, port: 'http' },
                periodSeconds: 2,
                timeoutSeconds: 2,
                failureThreshold: 300,
              },
              readinessProbe: {
                httpGet: { path: probePath, port: 'http' },
                periodSeconds: 5,
                timeoutSeconds: 2,
                failureThreshold: 2,
              },
              livenessProbe: {
                httpGet: { path: `${probePath}/live`, port: 'http' },
                periodSeconds: 10,
                timeoutSeconds: 3,
                failureThreshold: 3,
              },
              lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } },
              ...containerResources(spec.nodes.resources),
              volumeMounts: [
                { name: 'config', mountPath: NODE_CONFIG_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: names.nodeConfig } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { nsToMs, parseGoDuration } from '../../src/config/go-duration.js';
import type { OperatorOptions } from '../operator-options.js';

export const operatorUsage = `Usage: ringcast operator [options]

Runs the Kubernetes operator: turns RealtimeCluster resources (ringcast.dev/v1alpha1) into node pods, Redis
shards, services, credentials, disruption budgets and autoscalers, and publishes each cluster's ring.

Options (each also as an environment variable RINGCAST_OPERATOR_<OPTION>, e.g. RINGCAST_OPERATOR_NODE_IMAGE):
  --kubeconfig FILE        kubeconfig to use (default: $KUBECONFIG, else the pod's service account)
  --namespace NS           watch RealtimeClusters in this namespace only (default: all namespaces)
  --node-image IMAGE       node image for clusters that set no spec.image
  --cluster-domain D       Service DNS suffix (default cluster.local)
  --leader-elect BOOL      elect a leader through a Lease (default true)
  --lease-namespace NS     namespace of the Lease (default: the operator's own namespace)
  --lease-name NAME        name of the Lease (default ringcast-operator)
  --lease-duration D       how long a leader's lease lasts without renewal (default 15s)
  --renew-deadline D       a leader that cannot renew for this long stops (exits) (default 10s)
  --retry-period D         how often candidates try and leaders renew (default 2s)
  --identity ID            this process's name in the Lease (default: host name + random suffix)
  --metrics-address A      host:port of /healthz, /readyz and /metrics (default 0.0.0.0:8080)
  --log-level L            trace, debug, info, warn, error (default info)
  --resync D               reconcile every cluster at least this often (default 5m)
  --scrape-interval D      read node connection counts this often (default 15s)
  --probe-interval D       PING external Redis shards this often (default 10s)
  --watch-timeout D        watches last between D and 2·D before they are renewed (default 4m)
  --watch-grace D          a watch open this long past its timeout is treated as dead (default 30s)
  --concurrency N          clusters reconciled at once (default 2)`;

/** A command line or environment the operator cannot run with; printed with the usage, exit code 2. */
export class OperatorUsageError extends Error {
  readonly code = 'OPERATOR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'OperatorUsageError';
  }
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

const stringOptions = [
  'kubeconfig',
  'namespace',
  'node-image',
  'cluster-domain',
  'leader-elect',
  'lease-namespace',
  'lease-name',
  'lease-duration',
  'renew-deadline',
  'retry-period',
  'identity',
  'metrics-address',
  'log-level',
  'resync',
  'scrape-interval',
  'probe-interval',
  'watch-timeout',
  'watch-grace',
  'concurrency',
] as const;
type OptionName = (typeof stringOptions)[number];

function duration(name: string, text: string): number {
  const ns = parseGoDuration(text.trim());
  if (ns === null || ns <= 0) throw new OperatorUsageError(`--${name}: expected a duration like "15s" or "2m", got "${text}"`);
  return nsToMs(ns);
}

function positiveInt(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new OperatorUsageError(`--${name}: expected a positive whole number, got "${text}"`);
  return value;
}

function boolean(name: string, text: string): boolean {
  if (['true', '1', 'yes'].includes(text.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(text.toLowerCase())) return false;
  throw new OperatorUsageError(`--${name}: expected true or false, got "${text}"`);
}

function ownNamespace(env: Record<string, string | undefined>): string {
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

/**
 * The operator's options from its arguments (after `operator`) and environment: flags win over
 * RINGCAST_OPERATOR_* variables, which win over defaults. Returns null for --help.
 */
export function parseOperatorArgs(argv: readonly string[], env: Record<string, string | undefined>): OperatorOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(stringOptions.map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new OperatorUsageError((error as Error).message);
  }
  if (values['help'] === true) return null;
  const get = (name: OptionName): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    return env[`RINGCAST_OPERATOR_${name.toUpperCase().replace(/-/g, '_')}`];
  };
  const [opsHost, opsPortText] = (() => {
    const address = get('metrics-address') ?? '0.0.0.0:8080';
    const colon = address.lastIndexOf(':');
    if (colon < 0) throw new OperatorUsageError(`--metrics-address: expected host:port, got "${address}"`);
    return [address.slice(0, colon).replace(/^\[|\]$/g, ''), address.slice(colon + 1)];
  })();
  const opsPort = Number(opsPortText);
  if (!Number.isInteger(opsPort) || opsPort < 0 || opsPort > 65535) {
    throw new OperatorUsageError(`--metrics-address: bad port "${opsPortText}"`);
  }
  const watchTimeoutMs = duration('watch-timeout', get('watch-timeout') ?? '4m');
  const faultText = env['RINGCAST_OPERATOR_FAULT_KILL_AFTER_APPLIES'];
  const kubeconfig = get('kubeconfig') ?? (env['KUBECONFIG'] ? env['KUBECONFIG'].split(':')[0] : undefined);
  const options: OperatorOptions = {
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(get('namespace') ? { watchNamespace: get('namespace')! } : {}),
    nodeImage: get('node-image') ?? '',
    clusterDomain: get('cluster-domain') ?? 'cluster.local',
    leaderElection: {
      enabled: boolean('leader-elect', get('leader-elect') ?? 'true'),
      namespace: get('lease-namespace') ?? ownNamespace(env),
      name: get('lease-name') ?? 'ringcast-operator',
      identity: get('identity') ?? `${hostname()}_${randomBytes(4).toString('hex')}`,
      leaseDurationMs: duration('lease-duration', get('lease-duration') ?? '15s'),
      renewDeadlineMs: duration('renew-deadline', get('renew-deadline') ?? '10s'),
      retryPeriodMs: duration('retry-period', get('retry-period') ?? '2s'),
    },
    opsHost,
    opsPort,
    logLevel: get('log-level') ?? 'info',
    resyncMs: duration('resync', get('resync') ?? '5m'),
    scrapeIntervalMs: duration('scrape-interval', get('scrape-interval') ?? '15s'),
    probeIntervalMs: duration('probe-interval', get('probe-interval') ?? '10s'),
    watchTimeoutSeconds: { min: Math.max(1, Math.round(watchTimeoutMs / 1000)), max: Math.max(1, Math.round((2 * watchTimeoutMs) / 1000)) },
    watchdogGraceMs: duration('watch-grace', get('watch-grace') ?? '30s'),
    concurrency: positiveInt('concurrency', get('concurrency') ?? '2'),
    ...(faultText ? { faultKillAfterApplies: positiveInt('RINGCAST_OPERATOR_FAULT_KILL_AFTER_APPLIES', faultText) } : {}),
  };
  const le = options.leaderElection;
  if (le.enabled && !(le.leaseDurationMs > le.renewDeadlineMs && le.renewDeadlineMs > le.retryPeriodMs)) {
    throw new OperatorUsageError('leader election needs --lease-duration > --renew-deadline > --retry-period');
  }
  return options;
}

// Certificates and keys for a throwaway control plane: one CA, serving certificates for loopback,
// client certificates (admin in system:masters, kube-controller-manager) and the service-account
// signing key pair. Node has no X.509 issuing API, so certificates come from the openssl CLI (3.0+);
// every key is ECDSA P-256, which is quick to generate.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { KubeControlPlaneError } from './kube-errors.js';

const execFileAsync = promisify(execFile);

export interface CertKeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface ControlPlanePki {
  readonly ca: CertKeyPair;
  /** kube-apiserver serving certificate (127.0.0.1, localhost, the kubernetes service names). */
  readonly apiserverServing: CertKeyPair;
  /** kube-controller-manager serving certificate (127.0.0.1). */
  readonly controllerManagerServing: CertKeyPair;
  /** Client certificate in group system:masters. */
  readonly admin: CertKeyPair;
  /** Client certificate for user system:kube-controller-manager (bound by the bootstrap RBAC policy). */
  readonly controllerManager: CertKeyPair;
  /** Client certificate the API server's aggregator presents to extension API servers. */
  readonly frontProxyClient: CertKeyPair;
  readonly serviceAccountPrivateKey: string;
  readonly serviceAccountPublicKey: string;
}

export interface ClientIdentity {
  readonly commonName: string;
  readonly organizations?: readonly string[];
}

/** First address of the default --service-cluster-ip-range 10.0.0.0/24: the `kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = '10.0.0.1';

const VALID_DAYS = '7';

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new KubeControlPlaneError(
      'KUBE_COMMAND_FAILED',
      `openssl ${args[0] ?? ''} failed (is openssl 3.0+ installed?): ${stderr.trim()}`,
      { cause: error },
    );
  }
}

function opensslConfig(extensions: readonly string[]): string {
  return ['[req]', 'distinguished_name = dn', '[dn]', '[ext]', ...extensions, ''].join('\n');
}

function subject(identity: ClientIdentity): string {
  const escape = (value: string): string => value.replace(/[/\\]/g, (c) => `\\${c}`);
  const orgs = (identity.organizations ?? []).map((o) => `/O=${escape(o)}`).join('');
  return `${orgs}/CN=${escape(identity.commonName)}`;
}

/** Issues one certificate with a fresh key, signed by `ca` (self-signed when `ca` is undefined). */
async function issue(
  dir: string,
  name: string,
  subj: string,
  extensions: readonly string[],
  ca: CertKeyPair | undefined,
): Promise<CertKeyPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const config = join(dir, `${name}.cnf`);
  await writeFile(config, opensslConfig(extensions));
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', pair.key, '-out', pair.cert, '-days', VALID_DAYS, '-subj', subj,
    '-config', config, '-extensions', 'ext',
    ...(ca ? ['-CA', ca.cert, '-CAkey', ca.key] : []),
  ]);
  return pair;
}

const SERVING_EXTENSIONS = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
];

function servingExtensions(altNames: readonly string[]): string[] {
  return [...SERVING_EXTENSIONS, `subjectAltName = ${altNames.join(', ')}`];
}

/** A serving certificate signed by `ca` for `altNames` (`IP:…`, `DNS:…`), written to `<dir>/<name>.crt|.key`. */
export function issueServingCert(dir: string, name: string, commonName: string, altNames: readonly string[], ca: CertKeyPair): Promise<CertKeyPair> {
  return issue(dir, name, subject({ commonName }), servingExtensions(altNames), ca);
}

/** A client certificate signed by `ca`, written to `<dir>/<name>.crt|.key`. */
export function issueClientCert(dir: string, name: string, ca: CertKeyPair, identity: ClientIdentity): Promise<CertKeyPair> {
  return issue(
    dir,
    name,
    subject(identity),
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = clientAuth',
    ],
    ca,
  );
}

/** A self-signed CA, written to `<dir>/<name>.crt|.key` (for TLS tests outside the control plane too). */
export function issueCa(dir: string, name: string, commonName: string): Promise<CertKeyPair> {
  return issue(
    dir,
    name,
    `/CN=${commonName}`,
    ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature', 'subjectKeyIdentifier = hash'],
    undefined,
  );
}

export interface ControlPlanePkiOptions {
  /** Address of the `kubernetes` Service; default KUBERNETES_SERVICE_IP. */
  readonly kubernetesServiceIp?: string;
  /** More IP addresses the API server is reached at (the node address of the real-pods cluster). */
  readonly apiserverIps?: readonly string[];
}

export async function createControlPlanePki(dir: string, options: ControlPlanePkiOptions = {}): Promise<ControlPlanePki> {
  const ca = await issue(
    dir,
    'ca',
    '/CN=ringcast-test-ca',
    ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature', 'subjectKeyIdentifier = hash'],
    undefined,
  );
  const serviceAccount = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const serviceAccountPrivateKey = join(dir, 'service-account.key');
  const serviceAccountPublicKey = join(dir, 'service-account.pub');
  const [apiserverServing, controllerManagerServing, admin, controllerManager, frontProxyClient] = await Promise.all([
    issue(
      dir,
      'kube-apiserver',
      '/CN=kube-apiserver',
      servingExtensions([
        'IP:127.0.0.1',
        `IP:${options.kubernetesServiceIp ?? KUBERNETES_SERVICE_IP}`,
        ...(options.apiserverIps ?? []).map((ip) => `IP:${ip}`),
        'DNS:localhost',
        'DNS:kubernetes',
        'DNS:kubernetes.default',
        'DNS:kubernetes.default.svc',
        'DNS:kubernetes.default.svc.cluster.local',
      ]),
      ca,
    ),
    issue(dir, 'kube-controller-manager-serving', '/CN=kube-controller-manager', servingExtensions(['IP:127.0.0.1', 'DNS:localhost']), ca),
    issueClientCert(dir, 'admin', ca, { commonName: 'ringcast-test-admin', organizations: ['system:masters'] }),
    issueClientCert(dir, 'kube-controller-manager', ca, { commonName: 'system:kube-controller-manager' }),
    issueClientCert(dir, 'front-proxy-client', ca, { commonName: 'front-proxy-client' }),
    writeFile(serviceAccountPrivateKey, serviceAccount.privateKey, { mode: 0o600 }),
    writeFile(serviceAccountPublicKey, serviceAccount.publicKey),
  ]);
  return {
    ca,
    apiserverServing,
    controllerManagerServing,
    admin,
    controllerManager,
    frontProxyClient,
    serviceAccountPrivateKey,
    serviceAccountPublicKey,
  };
}

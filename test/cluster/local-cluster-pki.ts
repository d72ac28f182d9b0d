// Certificates and kubeconfigs of the local real-pods cluster: the control plane's (kube-pki.ts, with
// the node address and the `kubernetes` Service address added to the API server's certificate) plus
// the node's: kubelet client and serving certificates, the API server's client certificate for the
// kubelet (logs, exec, port-forward), and the scheduler's, kube-proxy's and CoreDNS's identities.
import { join } from 'node:path';

import { base64File, writeKubeconfig } from '../helpers/kube-kubeconfig.js';
import { createControlPlanePki, issueClientCert, issueServingCert, type CertKeyPair, type ControlPlanePki } from '../helpers/kube-pki.js';
import { KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME, PORTS } from './local-node-layout.js';

export interface LocalClusterPki extends ControlPlanePki {
  readonly kubeletClient: CertKeyPair;
  readonly kubeletServing: CertKeyPair;
  readonly apiserverKubeletClient: CertKeyPair;
  readonly scheduler: CertKeyPair;
  readonly schedulerServing: CertKeyPair;
  readonly kubeProxy: CertKeyPair;
  readonly coredns: CertKeyPair;
}

export async function createLocalClusterPki(dir: string): Promise<LocalClusterPki> {
  const base = await createControlPlanePki(dir, { kubernetesServiceIp: KUBERNETES_SERVICE_IP, apiserverIps: [NODE_IP] });
  const ca = base.ca;
  const [kubeletClient, kubeletServing, apiserverKubeletClient, scheduler, schedulerServing, kubeProxy, coredns] = await Promise.all([
    // The Node authorizer and NodeRestriction know the kubelet by this name and group.
    issueClientCert(dir, 'kubelet-client', ca, { commonName: `system:node:${NODE_NAME}`, organizations: ['system:nodes'] }),
    issueServingCert(dir, 'kubelet-serving', NODE_NAME, [`IP:${NODE_IP}`, `DNS:${NODE_NAME}`], ca),
    issueClientCert(dir, 'apiserver-kubelet-client', ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }),
    issueClientCert(dir, 'kube-scheduler', ca, { commonName: 'system:kube-scheduler' }),
    issueServingCert(dir, 'kube-scheduler-serving', 'kube-scheduler', ['IP:127.0.0.1', 'DNS:localhost'], ca),
    issueClientCert(dir, 'kube-proxy', ca, { commonName: 'system:kube-proxy' }),
    // CoreDNS lists and watches Services, EndpointSlices, Namespaces and Pods cluster-wide; it has no
    // bootstrap role, so it acts as an administrator in this throwaway cluster.
    issueClientCert(dir, 'coredns', ca, { commonName: 'coredns', organizations: ['system:masters'] }),
  ]);
  return { ...base, kubeletClient, kubeletServing, apiserverKubeletClient, scheduler, schedulerServing, kubeProxy, coredns };
}

export interface InClusterKubeconfigs {
  readonly controllerManager: string;
  readonly scheduler: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly coredns: string;
}

/** Kubeconfigs for the daemons inside the namespace, which reach the API server at the node address. */
export async function writeInClusterKubeconfigs(dir: string, pki: LocalClusterPki): Promise<InClusterKubeconfigs> {
  const server = `https://${NODE_IP}:${PORTS.apiserver}`;
  const caData = base64File(pki.ca.cert);
  const write = (name: string, userName: string, pair: CertKeyPair): Promise<string> =>
    writeKubeconfig(join(dir, `${name}.kubeconfig`), {
      server,
      caData,
      userName,
      credentials: { kind: 'client-certificate', certFile: pair.cert, keyFile: pair.key },
    });
  const [controllerManager, scheduler, kubelet, kubeProxy, coredns] = await Promise.all([
    write('kube-controller-manager', 'system:kube-controller-manager', pki.controllerManager),
    write('kube-scheduler', 'system:kube-scheduler', pki.scheduler),
    write('kubelet', `system:node:${NODE_NAME}`, pki.kubeletClient),
    write('kube-proxy', 'system:kube-proxy', pki.kubeProxy),
    write('coredns', 'coredns', pki.coredns),
  ]);
  return { controllerManager, scheduler, kubelet, kubeProxy, coredns };
}

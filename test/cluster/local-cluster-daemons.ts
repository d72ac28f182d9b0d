// Command lines of the local real-pods cluster's daemons, all inside the cluster's network namespace on
// fixed ports (the namespace is the run's own, so nothing else can hold them).
import { join } from 'node:path';

import type { ClusterTools } from './cluster-tools-path.js';
import type { InClusterKubeconfigs, LocalClusterPki } from './local-cluster-pki.js';
import { NODE_IP, NODE_NAME, PORTS, SERVICE_CIDR } from './local-node-layout.js';

export interface DaemonSpec {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
}

export interface DaemonContext {
  readonly dir: string;
  readonly tools: ClusterTools;
  readonly pki: LocalClusterPki;
  readonly kubeconfigs: InClusterKubeconfigs;
  readonly files: {
    readonly containerdConfig: string;
    readonly kubeletConfig: string;
    readonly kubeProxyConfig: string;
    readonly corefile: string;
  };
}

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export function containerd(ctx: DaemonContext): DaemonSpec {
  return { name: 'containerd', binary: ctx.tools.containerd, args: [`--config=${ctx.files.containerdConfig}`] };
}

export function etcd(ctx: DaemonContext): DaemonSpec {
  const client = `http://127.0.0.1:${PORTS.etcdClient}`;
  const peer = `http://127.0.0.1:${PORTS.etcdPeer}`;
  return {
    name: 'etcd',
    binary: ctx.tools.etcd,
    args: [
      '--name=node1',
      `--data-dir=${join(ctx.dir, 'etcd-data')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=node1=${peer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
  };
}

export function apiserver(ctx: DaemonContext): DaemonSpec {
  const { pki } = ctx;
  return {
    name: 'kube-apiserver',
    binary: ctx.tools.kubeApiserver,
    args: [
      `--etcd-servers=http://127.0.0.1:${PORTS.etcdClient}`,
      // On the node address: pods reach it through the `kubernetes` Service, the host through nsfwd.
      `--bind-address=${NODE_IP}`,
      `--advertise-address=${NODE_IP}`,
      `--secure-port=${PORTS.apiserver}`,
      `--cert-dir=${join(ctx.dir, 'kube-apiserver-certs')}`,
      `--tls-cert-file=${pki.apiserverServing.cert}`,
      `--tls-private-key-file=${pki.apiserverServing.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      // Node: the kubelet may read the Secrets and tokens of its own pods.
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--requestheader-client-ca-file=${pki.ca.cert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
      `--proxy-client-key-file=${pki.frontProxyClient.key}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountPrivateKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // logs, exec and port-forward: the API server calls the kubelet and checks its certificate.
      `--kubelet-client-certificate=${pki.apiserverKubeletClient.cert}`,
      `--kubelet-client-key=${pki.apiserverKubeletClient.key}`,
      `--kubelet-certificate-authority=${pki.ca.cert}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--allow-privileged=true',
      '--profiling=false',
    ],
  };
}

export function controllerManager(ctx: DaemonContext): DaemonSpec {
  const kubeconfig = ctx.kubeconfigs.controllerManager;
  return {
    name: 'kube-controller-manager',
    binary: ctx.tools.kubeControllerManager,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${PORTS.controllerManager}`,
      `--cert-dir=${join(ctx.dir, 'kube-controller-manager-certs')}`,
      `--tls-cert-file=${ctx.pki.controllerManagerServing.cert}`,
      `--tls-private-key-file=${ctx.pki.controllerManagerServing.key}`,
      `--root-ca-file=${ctx.pki.ca.cert}`,
      `--service-account-private-key-file=${ctx.pki.serviceAccountPrivateKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--use-service-account-credentials=true',
      '--leader-elect=false',
      // Every default controller: a real cluster's behaviour (node lifecycle, endpoints, StatefulSets, ...).
      '--controllers=*',
      '--profiling=false',
    ],
  };
}

export function scheduler(ctx: DaemonContext): DaemonSpec {
  const kubeconfig = ctx.kubeconfigs.scheduler;
  return {
    name: 'kube-scheduler',
    binary: ctx.tools.kubeScheduler,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${PORTS.scheduler}`,
      `--tls-cert-file=${ctx.pki.schedulerServing.cert}`,
      `--tls-private-key-file=${ctx.pki.schedulerServing.key}`,
      '--leader-elect=false',
      '--profiling=false',
    ],
  };
}

export function coredns(ctx: DaemonContext): DaemonSpec {
  return { name: 'coredns', binary: ctx.tools.coredns, args: ['-conf', ctx.files.corefile] };
}

export function kubelet(ctx: DaemonContext): DaemonSpec {
  return {
    name: 'kubelet',
    binary: ctx.tools.kubelet,
    args: [
      `--config=${ctx.files.kubeletConfig}`,
      `--kubeconfig=${ctx.kubeconfigs.kubelet}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      // On the namespace's private tmpfs: pod volumes and plugin sockets vanish with the namespace.
      '--root-dir=/var/lib/kubelet',
      `--cert-dir=${join(ctx.dir, 'kubelet-certs')}`,
      '-v=2',
    ],
  };
}

export function kubeProxy(ctx: DaemonContext): DaemonSpec {
  return { name: 'kube-proxy', binary: ctx.tools.kubeProxy, args: [`--config=${ctx.files.kubeProxyConfig}`] };
}

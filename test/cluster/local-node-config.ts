// The configuration files of the local real-pods cluster's node: containerd, the CNI network, the
// kubelet, kube-proxy and CoreDNS. Pure functions of the cluster's directory layout.
import { stringify } from 'yaml';

import { IMAGE_REFS } from '../../images/image-pins.js';
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN, NODE_IP, NODE_NAME, PORTS, POD_CIDR, POD_GATEWAY } from './local-node-layout.js';

export interface NodePaths {
  readonly containerdRoot: string;
  readonly containerdState: string;
  readonly containerdSocket: string;
  readonly containerdOpt: string;
  readonly cniBinDir: string;
  readonly cniConfDir: string;
  readonly cniIpamDir: string;
  readonly runc: string;
}

/**
 * containerd 2.x (config version 3). `restrict_oom_score_adj` is required on machines where root lacks
 * CAP_SYS_RESOURCE: without it every sandbox fails, because runc cannot lower oom_score_adj to -998.
 */
export function containerdConfig(p: NodePaths): string {
  const q = (value: string): string => JSON.stringify(value);
  return `version = 3
root = ${q(p.containerdRoot)}
state = ${q(p.containerdState)}

[grpc]
  address = ${q(p.containerdSocket)}

[plugins.'io.containerd.internal.v1.opt']
  path = ${q(p.containerdOpt)}

[plugins.'io.containerd.nri.v1.nri']
  disable = true

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = ${q(IMAGE_REFS.pause)}

[plugins.'io.containerd.cri.v1.runtime']
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = ${q(p.runc)}
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = [${q(p.cniBinDir)}]
    conf_dir = ${q(p.cniConfDir)}
`;
}

/** One bridge network; no masquerading, since nothing may leave the namespace. portmap serves hostPort. */
export function cniConfig(p: NodePaths): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'ringcast-test',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: POD_CIDR, gateway: POD_GATEWAY }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: p.cniIpamDir,
          },
        },
        { type: 'portmap', capabilities: { portMappings: true }, backend: 'nftables' },
      ],
    },
    null,
    2,
  )}\n`;
}

export interface KubeletConfigInput {
  readonly containerdSocket: string;
  readonly cgroupRoot: string;
  readonly clientCaFile: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly resolvConf: string;
  readonly volumePluginDir: string;
}

/**
 * The kubelet on a cgroup v1 host: Kubernetes 1.35 refuses v1 unless `failCgroupV1: false`. cgroupfs is
 * the driver (no systemd); containerd reports the same over the CRI. `cgroupRoot` is a cgroup of this run
 * only (created and removed by node-supervisor.sh), so two clusters never share /kubepods. Images are never
 * garbage-collected or evicted: they were imported, and there is no registry to pull them again.
 */
export function kubeletConfig(k: KubeletConfigInput): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: k.cgroupRoot,
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${k.containerdSocket}`,
    volumePluginDir: k.volumePluginDir,
    address: NODE_IP,
    port: PORTS.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: PORTS.kubeletHealthz,
    tlsCertFile: k.servingCert,
    tlsPrivateKeyFile: k.servingKey,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: k.clientCaFile } },
    authorization: { mode: 'Webhook' },
    clusterDNS: [CLUSTER_DNS_IP],
    clusterDomain: CLUSTER_DOMAIN,
    resolvConf: k.resolvConf,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    imageGCHighThresholdPercent: 100,
    evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    // Pods of a deleted Deployment or test namespace should go quickly; the kubelet's default sync is 1 m.
    syncFrequency: '10s',
  });
}

/** nftables mode (GA since 1.33; needs the `nft` binary). conntrack values of 0 keep its hands off global sysctls. */
export function kubeProxyConfig(kubeconfig: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'nftables',
    hostnameOverride: NODE_NAME,
    clientConnection: { kubeconfig },
    clusterCIDR: POD_CIDR,
    bindAddress: NODE_IP,
    healthzBindAddress: `127.0.0.1:${PORTS.kubeProxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${PORTS.kubeProxyMetrics}`,
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s', tcpBeLiberal: true },
  });
}

/**
 * Cluster names from the API; every other name gets NXDOMAIN at once (there is no upstream to forward to,
 * and nothing may leave the namespace).
 */
export function corefile(kubeconfig: string): string {
  return `${CLUSTER_DOMAIN}:53 in-addr.arpa:53 ip6.arpa:53 {
    bind ${CLUSTER_DNS_IP}
    errors
    health 127.0.0.1:${PORTS.corednsHealth}
    ready 127.0.0.1:${PORTS.corednsReady}
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfig}
        pods insecure
    }
    cache 5
}
.:53 {
    bind ${CLUSTER_DNS_IP}
    template ANY ANY {
        rcode NXDOMAIN
    }
}
`;
}

/** The node's /etc/resolv.conf and the kubelet's `resolvConf`: only the cluster's DNS, no search domains of the host. */
export function resolvConf(): string {
  return `nameserver ${CLUSTER_DNS_IP}\n`;
}

export function hostsFile(): string {
  return `127.0.0.1 localhost\n${NODE_IP} ${NODE_NAME}\n`;
}

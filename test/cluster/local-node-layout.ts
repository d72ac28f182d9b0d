// Addresses, ports and names of the local real-pods cluster. They exist only inside the network
// namespace the test run creates, so fixed values never collide with the host or another run.

export const NODE_NAME = 'node1';
/** The node's only address (on the veth node0 inside the namespace); the API server advertises it. */
export const NODE_IP = '10.200.0.1';
/** Pod addresses: the CNI bridge cni0 is the gateway .1. */
export const POD_CIDR = '10.244.0.0/24';
export const POD_GATEWAY = '10.244.0.1';
export const SERVICE_CIDR = '10.96.0.0/16';
/** The first Service address: the `kubernetes` Service, in the API server's certificate. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** CoreDNS runs as a process on the node address, so it needs neither an image nor a Service. */
export const CLUSTER_DNS_IP = NODE_IP;
export const CLUSTER_DOMAIN = 'cluster.local';

export const PORTS = {
  etcdClient: 2379,
  etcdPeer: 2380,
  apiserver: 6443,
  controllerManager: 10257,
  scheduler: 10259,
  kubelet: 10250,
  kubeletHealthz: 10248,
  kubeProxyHealthz: 10256,
  kubeProxyMetrics: 10249,
  corednsHealth: 8080,
  corednsReady: 8181,
} as const;

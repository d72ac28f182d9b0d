// Reaching pods from a test: a loopback port that leads to a pod's port, or to a Service. Local provider:
// nsfwd dials the pod's address or the Service's ClusterIP inside the cluster's network namespace (so
// kube-proxy picks the endpoint). kind: the API server's port-forward, to the pod, or for a Service to a
// ready endpoint picked afresh for every connection (so clients of a deleted pod reconnect elsewhere).
import { createServer, type Server, type Socket } from 'node:net';

import { CoreV1Api, DiscoveryV1Api, PortForward, type KubeConfig } from '@kubernetes/client-node';

import { startNsForwarder, type Forward, type NsForwarder } from './ns-forwarder.js';
import type { PodsClusterInfo } from './pods-cluster-info.js';

export interface PodNetwork {
  /** 127.0.0.1:<port> leading to `port` of the pod (by its address, so a restarted pod needs a new forward). */
  forwardToPod(namespace: string, pod: string, port: number): Promise<Forward>;
  /** 127.0.0.1:<port> leading to `port` of the Service; every new connection may reach another endpoint. */
  forwardToService(namespace: string, service: string, port: number): Promise<Forward>;
  /** Local provider only: any address inside the cluster's network (a ClusterIP, a pod IP). */
  forwardToAddress?(target: string): Promise<Forward>;
  close(): void;
}

async function podIp(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  const pod = await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name });
  const ip = pod.status?.podIP;
  if (!ip) throw new Error(`pod ${namespace}/${name} has no IP yet (phase ${pod.status?.phase ?? 'unknown'})`);
  return ip;
}

async function clusterIp(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  const service = await kc.makeApiClient(CoreV1Api).readNamespacedService({ namespace, name });
  const ip = service.spec?.clusterIP;
  if (!ip || ip === 'None') throw new Error(`service ${namespace}/${name} has no ClusterIP`);
  return ip;
}

/** A ready endpoint (pod name and target port) of the Service's port `port`, chosen at random. */
async function pickEndpoint(kc: KubeConfig, namespace: string, service: string, port: number): Promise<{ pod: string; port: number }> {
  const svc = await kc.makeApiClient(CoreV1Api).readNamespacedService({ namespace, name: service });
  const portName = svc.spec?.ports?.find((p) => p.port === port)?.name;
  const slices = await kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({
    namespace,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  const candidates = slices.items.flatMap((slice) => {
    const target = slice.ports?.find((p) => (p.name ?? '') === (portName ?? ''))?.port;
    return (slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready && e.targetRef?.kind === 'Pod' && e.targetRef.name)
      .map((e) => ({ pod: e.targetRef?.name ?? '', port: target ?? port }));
  });
  const chosen = candidates[Math.floor(Math.random() * candidates.length)];
  if (!chosen) throw new Error(`service ${namespace}/${service} has no ready endpoint for port ${port}`);
  return chosen;
}

function apiPortForward(kc: KubeConfig, namespace: string, target: () => Promise<{ pod: string; port: number }>): Promise<Forward> {
  const forwarder = new PortForward(kc);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    target()
      .then(({ pod, port }) => forwarder.portForward(namespace, pod, [port], socket, null, socket))
      .catch(() => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no loopback port for the port-forward'));
        return;
      }
      resolve({
        address: `127.0.0.1:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function openPodNetwork(info: PodsClusterInfo, kc: KubeConfig): PodNetwork {
  if (info.provider === 'local' && info.nsfwd && info.nsPid) {
    let forwarder: NsForwarder | undefined;
    const lazy = (): NsForwarder => (forwarder ??= startNsForwarder(info.nsfwd ?? 'nsfwd', info.nsPid ?? 0));
    return {
      forwardToPod: async (namespace, pod, port) => lazy().forward(`${await podIp(kc, namespace, pod)}:${port}`),
      forwardToService: async (namespace, service, port) => lazy().forward(`${await clusterIp(kc, namespace, service)}:${port}`),
      forwardToAddress: (target) => lazy().forward(target),
      close: () => forwarder?.stop(),
    };
  }
  return {
    forwardToPod: (namespace, pod, port) => apiPortForward(kc, namespace, async () => ({ pod, port })),
    forwardToService: (namespace, service, port) => apiPortForward(kc, namespace, () => pickEndpoint(kc, namespace, service, port)),
    close: () => {},
  };
}

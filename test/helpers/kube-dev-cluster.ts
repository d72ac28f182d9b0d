// `make dev-cluster`: the e2e control plane (etcd, kube-apiserver, kube-controller-manager) started by
// hand; with `--pods` (`make dev-cluster PODS=1`) the full single-node cluster with real pods of the
// `pods` tests instead. Prints how to reach it and runs until Ctrl-C (SIGINT) or SIGTERM, then stops
// every process and removes the temporary directory.
// Run: node --import tsx test/helpers/kube-dev-cluster.ts [--pods]
import { parseArgs } from 'node:util';

import { resolveClusterTools } from '../cluster/cluster-tools-path.js';
import { readImageIndex } from '../cluster/image-index.js';
import { startLocalCluster } from '../cluster/local-cluster.js';
import { startControlPlane } from './kube-control-plane.js';
import { resolveKubeToolPaths } from './kube-tools-path.js';

interface Running {
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

async function startPlain(log: (message: string) => void): Promise<Running> {
  const tools = resolveKubeToolPaths(process.env);
  const controlPlane = await startControlPlane({ tools, controllerManager: true, log });
  return {
    lines: [
      `  API server:  ${controlPlane.server}`,
      `  KUBECONFIG:  ${controlPlane.adminKubeconfigPath}`,
      `  helm:        ${tools.helm}`,
      `  logs:        ${controlPlane.dir}/*.log`,
      '',
      `  export KUBECONFIG=${controlPlane.adminKubeconfigPath}`,
    ],
    stop: () => controlPlane.stop(),
  };
}

async function startWithPods(log: (message: string) => void): Promise<Running> {
  const tools = resolveClusterTools(process.env);
  const index = readImageIndex(['pause', 'ringcast', 'redis']);
  const cluster = await startLocalCluster({ tools, images: [index.pause, index.ringcast, index.redis], log });
  const enter = `nsenter --target=${cluster.nsPid} --net --mount --pid`;
  return {
    lines: [
      `  API server:  ${cluster.server}  (forwarded into the cluster's network namespace)`,
      `  KUBECONFIG:  ${cluster.adminKubeconfigPath}`,
      `  kubectl:     ${tools.kubectl}`,
      `  helm:        ${tools.helm}`,
      `  images:      ${index.ringcast.ref}, ${index.redis.ref} (imported; use imagePullPolicy IfNotPresent or Never)`,
      `  logs:        ${cluster.logsDir}/*.log  (kubelet, containerd, kube-apiserver, ...)`,
      '',
      `  export KUBECONFIG=${cluster.adminKubeconfigPath} PATH=${tools.kubeToolsDir}:$PATH`,
      '  kubectl get pods -A; kubectl logs/exec/port-forward work as usual.',
      '  Pod and Service addresses (10.244.0.0/24, 10.96.0.0/16) and the node (10.200.0.1) exist only inside',
      `  the namespace; a shell there (curl a ClusterIP, nft list ruleset, crictl-like ctr):`,
      `    ${enter} sh`,
      `    ${enter} ${tools.ctr} --address ${cluster.dir}/containerd/containerd.sock -n k8s.io containers ls`,
    ],
    stop: () => cluster.stop(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pods: { type: 'boolean', default: false } } });
  const log = (message: string): void => console.error(`dev-cluster: ${message}`);

  // A signal during start-up must still clean up: remember it and stop once start returns or fails.
  let signalled: NodeJS.Signals | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled = signal;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const running = values.pods ? await startWithPods(log) : await startPlain(log);
  try {
    if (signalled === undefined) {
      console.log(['', ...running.lines, '', 'Press Ctrl-C to stop and delete everything.'].join('\n'));
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    log(`${signalled ?? 'signal'} received, stopping`);
  } finally {
    await running.stop();
    log('stopped; temporary directory removed');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

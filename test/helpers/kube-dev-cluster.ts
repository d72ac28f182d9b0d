// `make dev-cluster`: the e2e control plane (etcd, kube-apiserver, kube-controller-manager) started
// by hand. Prints the admin KUBECONFIG and runs until Ctrl-C (SIGINT) or SIGTERM, then stops every
// process and removes the temporary directory. Run: node --import tsx test/helpers/kube-dev-cluster.ts
import { startControlPlane } from './kube-control-plane.js';
import { resolveKubeToolPaths } from './kube-tools-path.js';

async function main(): Promise<void> {
  const tools = resolveKubeToolPaths(process.env);
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

  const controlPlane = await startControlPlane({ tools, controllerManager: true, log });
  try {
    if (signalled === undefined) {
      console.log('');
      console.log(`  API server:  ${controlPlane.server}`);
      console.log(`  KUBECONFIG:  ${controlPlane.adminKubeconfigPath}`);
      console.log(`  helm:        ${tools.helm}`);
      console.log(`  logs:        ${controlPlane.dir}/*.log`);
      console.log('');
      console.log(`  export KUBECONFIG=${controlPlane.adminKubeconfigPath}`);
      console.log('');
      console.log('Press Ctrl-C to stop and delete everything.');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    log(`${signalled ?? 'signal'} received, stopping`);
  } finally {
    await controlPlane.stop();
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

// The network, mount and PID namespaces one local real-pods cluster lives in, owned by
// node-supervisor.sh (which also tears them down, even when this process is killed). Daemons are started
// inside with `nsenter` (namespaceCommand), so they share the one mount namespace: the kubelet's volume
// mounts are then visible to runc.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { KubeControlPlaneError } from '../helpers/kube-errors.js';

export interface NodeNamespace {
  /** PID (in the host's PID namespace) of the namespaces' PID 1. */
  readonly pid: number;
  /** Kills everything in the namespaces, removes the run's cgroups and, unless `keepDir`, its directory. */
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

const supervisorScript = fileURLToPath(new URL('node-supervisor.sh', import.meta.url));
const initScript = fileURLToPath(new URL('node-init.sh', import.meta.url));

/** `nsenter` arguments that run `command args…` inside the namespaces of `pid`. */
export function namespaceCommand(pid: number, command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: 'nsenter', args: [`--target=${pid}`, '--net', '--mount', '--pid', '--', command, ...args] };
}

export async function startNodeNamespace(dir: string, cgroup: string, pause: string): Promise<NodeNamespace> {
  const supervisor = spawn('sh', [supervisorScript, dir, cgroup, initScript, pause], {
    // Its own session: a Ctrl-C meant for the test runner must not skip the teardown.
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  supervisor.stdin.on('error', () => {});
  // Referenced until the namespace exists; afterwards the supervisor must not keep this process alive.
  const detach = (): void => {
    supervisor.unref();
    for (const stream of [supervisor.stdin, supervisor.stdout]) (stream as unknown as { unref?: () => void }).unref?.();
  };
  const lines = createInterface({ input: supervisor.stdout });
  const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
  const nextLine = (): Promise<string | undefined> =>
    new Promise((resolve) => {
      const onLine = (line: string): void => {
        lines.off('close', onClose);
        resolve(line);
      };
      const onClose = (): void => {
        lines.off('line', onLine);
        resolve(undefined);
      };
      lines.once('line', onLine);
      lines.once('close', onClose);
    });

  const first = await nextLine();
  detach();
  const pid = Number(/^ns (\d+)$/.exec(first ?? '')?.[1]);
  let stopping: Promise<void> | undefined;
  const stop = (options: { keepDir?: boolean } = {}): Promise<void> => {
    stopping ??= (async () => {
      supervisor.ref();
      supervisor.stdin.end(options.keepDir ? 'stop-keep\n' : 'stop\n');
      await exited;
    })();
    return stopping;
  };
  if (!Number.isInteger(pid) || pid <= 0) {
    await stop({ keepDir: true });
    throw new KubeControlPlaneError('KUBE_PROCESS_EXITED', `could not create the cluster's namespaces (supervisor said "${first ?? 'nothing'}"); see ${dir}/logs/node-init.log`);
  }
  return { pid, stop };
}

// Runs a command in a pod's container through the API server (the kubelet's exec), like `kubectl exec`.
import { PassThrough } from 'node:stream';

import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 on success; otherwise the exit code the API reports (ExitCode cause), or -1 if it gave none. */
  readonly exitCode: number;
}

function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message ? Number(cause.message) : -1;
}

export async function execInPod(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  command: readonly string[],
  timeoutMs = 30_000,
): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise<ExecResult>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec ${command.join(' ')} in ${target.pod} timed out after ${timeoutMs} ms`)), timeoutMs);
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, [...command], stdout, stderr, null, false, (status) => {
        clearTimeout(timer);
        // The status arrives before the last output frames are flushed into the streams.
        setImmediate(() =>
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: exitCodeOf(status) }),
        );
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}

// The kind provider of the real-pods tests (`make e2e-kind`, machines with Docker): a kind cluster with
// the images of `make image` loaded from their archives. Same test files as the local provider.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { KubeControlPlaneError } from '../helpers/kube-errors.js';
import type { ImageArchive } from './local-cluster.js';

const execFileAsync = promisify(execFile);

export interface KindCluster {
  readonly name: string;
  readonly dir: string;
  readonly adminKubeconfigPath: string;
  stop(): Promise<void>;
}

async function kind(args: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync('kind', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new KubeControlPlaneError('KUBE_COMMAND_FAILED', `kind ${args.join(' ')} failed (is kind installed and Docker running?): ${stderr.trim()}`, { cause: error });
  }
}

export async function startKindCluster(options: { images: readonly ImageArchive[]; log?: (message: string) => void }): Promise<KindCluster> {
  const log = options.log ?? (() => {});
  const name = `ringcast-e2e-${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'ringcast-kind-'));
  const adminKubeconfigPath = join(dir, 'kubeconfig');
  const stop = async (): Promise<void> => {
    await kind(['delete', 'cluster', '--name', name]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await kind(['create', 'cluster', '--name', name, '--kubeconfig', adminKubeconfigPath, '--wait', '180s']);
    log(`kind cluster ${name} ready`);
    for (const image of options.images) {
      await kind(['load', 'image-archive', image.archive, '--name', name]);
      log(`image ${image.ref} loaded`);
    }
    return { name, dir, adminKubeconfigPath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Runs a build command, failing with its output when it exits non-zero.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${`${stdout}\n${stderr}`.trim().slice(-4000)}`, { cause: error });
  }
}

/**
 * A reproducible layer tarball of `dir`: sorted names, root ownership, fixed timestamps, so unchanged
 * files give an unchanged layer digest.
 */
export function tarLayer(dir: string, out: string): Promise<string> {
  return run('tar', [
    '--create', '--file', out, '--directory', dir, '--sort=name', '--owner=0', '--group=0',
    '--numeric-owner', '--mtime=@0', '--format=gnu', '.',
  ]);
}

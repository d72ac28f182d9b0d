// Fetches one npm package tarball with the ordinary npm client and checks it against a pinned integrity
// hash, so the image never contains a package other than the one reviewed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PinnedPackage {
  readonly package: string;
  readonly version: string;
  readonly integrity: string;
}

interface PackResult {
  readonly filename: string;
  readonly integrity: string;
}

/** Downloads `<package>@<version>` into `dir` and returns the tarball's path. */
export async function fetchPinnedPackage(pin: PinnedPackage, dir: string): Promise<string> {
  const spec = `${pin.package}@${pin.version}`;
  const { stdout } = await execFileAsync('npm', ['pack', spec, '--json', '--silent', '--pack-destination', dir], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout) as PackResult[];
  if (!result) throw new Error(`npm pack ${spec} printed no result`);
  if (result.integrity !== pin.integrity) {
    throw new Error(`npm pack ${spec}: integrity ${result.integrity} differs from the pinned ${pin.integrity}`);
  }
  return join(dir, result.filename);
}

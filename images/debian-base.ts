// The Debian 13 base layer of Ringcast's image, made without Docker by mmdebstrap (variant minbase, the
// same package set debian:trixie-slim starts from), with the image's unprivileged user added and
// documentation left out. Cached by its recipe: a second build reuses the tarball.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { DEBIAN_MIRRORS, DEBIAN_SUITE, IMAGE_USER } from './image-pins.js';
import { run } from './run-command.js';

const { name, uid, gid } = IMAGE_USER;

const MMDEBSTRAP_ARGS: readonly string[] = [
  '--variant=minbase',
  '--mode=root',
  '--format=tar',
  '--aptopt=Acquire::Retries "3"',
  ...['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*'].map(
    (path) => `--dpkgopt=path-exclude=${path}`,
  ),
  '--dpkgopt=path-include=/usr/share/doc/*/copyright',
  `--customize-hook=chroot "$1" groupadd --system --gid ${gid} ${name}`,
  `--customize-hook=chroot "$1" useradd --system --uid ${uid} --gid ${gid} --home-dir /app --no-create-home --shell /usr/sbin/nologin ${name}`,
  // apt's lists are only needed to install more; the image installs nothing at run time.
  '--customize-hook=rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*',
];

/** Path of the cached base tarball, building it first when absent (~1 min, ~40 MB of packages). */
export async function debianBaseLayer(cacheDir: string, log: (message: string) => void): Promise<string> {
  const recipe = createHash('sha256').update(JSON.stringify([DEBIAN_SUITE, DEBIAN_MIRRORS, MMDEBSTRAP_ARGS])).digest('hex');
  const path = join(cacheDir, `debian-${DEBIAN_SUITE}-${recipe.slice(0, 12)}.tar`);
  try {
    await stat(path);
    return path;
  } catch {
    // not built yet
  }
  await mkdir(cacheDir, { recursive: true });
  log(`making the Debian ${DEBIAN_SUITE} base with mmdebstrap (once; cached as ${path})`);
  const tmp = `${path}.tmp.${process.pid}`;
  try {
    await run('mmdebstrap', [...MMDEBSTRAP_ARGS, DEBIAN_SUITE, tmp, ...DEBIAN_MIRRORS]);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return path;
}

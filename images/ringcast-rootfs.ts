// The files Ringcast's image adds on top of its Debian base, as a directory tree:
//   /usr/local/bin/node           Node.js (NODE_RUNTIME)
//   /app/package.json, /app/dist  the compiled program (`npm run build` must have run)
//   /app/node_modules             production dependencies only (npm ci --omit=dev), with the
//                                 uWebSockets.js build for the image's Node.js (UWS_RUNTIME)
// The Dockerfile runs this in its build stage and copies the tree into debian:trixie-slim; the
// registry-free builder (build-local-images.ts) turns the same tree into a layer.
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NODE_RUNTIME, UWS_RUNTIME } from './image-pins.js';
import { fetchPinnedPackage } from './npm-pack.js';
import { run } from './run-command.js';

async function requireBuilt(source: string): Promise<void> {
  try {
    await stat(join(source, 'dist', 'cli', 'ringcast.js'));
  } catch {
    throw new Error(`${source}/dist/cli/ringcast.js is missing: run \`npm run build\` (or \`make build\`) first`);
  }
}

async function addNode(out: string, scratch: string): Promise<void> {
  const tarball = await fetchPinnedPackage(NODE_RUNTIME, scratch);
  const bin = join(out, 'usr', 'local', 'bin');
  const doc = join(out, 'usr', 'local', 'share', 'doc', 'node');
  await mkdir(bin, { recursive: true });
  await mkdir(doc, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', bin, '--strip-components=2', 'package/bin/node']);
  await run('tar', ['-xzf', tarball, '-C', doc, '--strip-components=1', 'package/LICENSE']);
}

/** Replaces the development uWebSockets.js with UWS_RUNTIME, keeping only the binary the image's Node.js loads. */
async function swapUws(app: string, scratch: string): Promise<void> {
  const target = join(app, 'node_modules', 'uWebSockets.js');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const tarball = await fetchPinnedPackage(UWS_RUNTIME, scratch);
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const keep = `uws_linux_x64_${NODE_RUNTIME.abi}.node`;
  const files = await readdir(target);
  if (!files.includes(keep)) throw new Error(`${UWS_RUNTIME.package}@${UWS_RUNTIME.version} has no ${keep}`);
  await Promise.all(files.filter((f) => f.endsWith('.node') && f !== keep).map((f) => rm(join(target, f))));
}

/** Writes the tree into `out` (which must not exist yet or be empty). */
export async function prepareRingcastRootfs(source: string, out: string): Promise<void> {
  await requireBuilt(source);
  const scratch = await mkdtemp(join(tmpdir(), 'ringcast-image-'));
  try {
    const app = join(out, 'app');
    await mkdir(app, { recursive: true });
    for (const file of ['package.json', 'package-lock.json', 'LICENSE', 'README.md']) {
      await cp(join(source, file), join(app, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT' || file === 'package.json' || file === 'package-lock.json') throw error;
      });
    }
    await cp(join(source, 'dist'), join(app, 'dist'), { recursive: true, filter: (path) => !path.endsWith('.map') });
    // No lifecycle scripts: nothing in the production tree needs one, and the result stays reproducible.
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
    await swapUws(app, scratch);
    await addNode(out, scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

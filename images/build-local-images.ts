// `make image`: builds Ringcast's image, the Redis image and the pause image without Docker or a registry,
// as docker-archives that `ctr images import`, `kind load image-archive` and `docker load` read:
//
//   node --import tsx images/build-local-images.ts --assemble BIN --pause BIN [--out-dir .cache/images]
//
// Layers are reproducible tarballs; ringcast-image-assemble (images/builder) stacks them and writes the
// image config. An image whose inputs did not change is not rebuilt. <out-dir>/images.json lists the
// archives with their image names and digests.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { debianBaseLayer } from './debian-base.js';
import { IMAGE_REFS, IMAGE_USER, NODE_RUNTIME, UWS_RUNTIME, type ImageName } from './image-pins.js';
import { hashInputs } from './input-hash.js';
import { prepareRedisRootfs, REDIS_USER } from './redis-rootfs.js';
import { prepareRingcastRootfs } from './ringcast-rootfs.js';
import { run, tarLayer } from './run-command.js';

interface BuiltImage {
  readonly ref: string;
  readonly archive: string;
  readonly digest: string;
}

interface BuildContext {
  readonly source: string;
  readonly outDir: string;
  readonly cacheDir: string;
  readonly assemble: string;
  readonly pause: string;
  readonly log: (message: string) => void;
}

interface ImageRecipe {
  /** Files and trees whose content decides whether the image must be rebuilt. */
  readonly inputs: readonly string[];
  /** Layer tarballs, bottom first, made inside `scratch`. */
  layers(scratch: string): Promise<string[]>;
  readonly config: readonly string[];
}

async function rootfsLayer(scratch: string, name: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(scratch, `${name}-rootfs`);
  await mkdir(dir, { recursive: true });
  await fill(dir);
  const layer = join(scratch, `${name}.tar`);
  await tarLayer(dir, layer);
  return layer;
}

function recipes(ctx: BuildContext): Record<ImageName, ImageRecipe> {
  return {
    ringcast: {
      inputs: [join(ctx.source, 'dist'), join(ctx.source, 'package.json'), join(ctx.source, 'package-lock.json')],
      layers: async (scratch) => [
        await debianBaseLayer(ctx.cacheDir, ctx.log),
        await rootfsLayer(scratch, 'ringcast', (dir) => prepareRingcastRootfs(ctx.source, dir)),
      ],
      config: [
        '-entrypoint', JSON.stringify(['node', '/app/dist/cli/ringcast.js']),
        '-cmd', JSON.stringify(['serve']),
        '-user', `${IMAGE_USER.uid}:${IMAGE_USER.gid}`,
        '-workdir', '/app',
        '-env', 'NODE_ENV=production',
        '-expose', '8000/tcp',
        '-label', `org.opencontainers.image.title=ringcast`,
        '-label', `dev.ringcast.nodejs=${NODE_RUNTIME.version}`,
        '-label', `dev.ringcast.uwebsockets=${UWS_RUNTIME.package}@${UWS_RUNTIME.version}`,
      ],
    },
    redis: {
      inputs: ['/usr/bin/redis-server', '/usr/bin/redis-cli'],
      layers: async (scratch) => [await rootfsLayer(scratch, 'redis', prepareRedisRootfs)],
      config: [
        '-entrypoint', JSON.stringify(['redis-server']),
        // Reachable from other pods; the test cluster's network is closed, and real deployments set a password.
        '-cmd', JSON.stringify(['--protected-mode', 'no', '--dir', '/data']),
        '-user', `${REDIS_USER.uid}:${REDIS_USER.gid}`,
        '-workdir', '/data',
        '-expose', '6379/tcp',
      ],
    },
    pause: {
      inputs: [ctx.pause],
      layers: async (scratch) => [
        await rootfsLayer(scratch, 'pause', (dir) => run('install', ['-m', '0755', ctx.pause, join(dir, 'pause')]).then(() => undefined)),
      ],
      config: ['-entrypoint', JSON.stringify(['/pause']), '-user', '65535:65535'],
    },
  };
}

async function buildImage(name: ImageName, recipe: ImageRecipe, ctx: BuildContext): Promise<BuiltImage> {
  const ref = IMAGE_REFS[name];
  const archive = join(ctx.outDir, `${name}.tar`);
  const stampPath = join(ctx.outDir, `${name}.stamp.json`);
  const inputHash = await hashInputs(recipe.inputs, { ref, config: recipe.config, NODE_RUNTIME, UWS_RUNTIME });
  try {
    const stamp = JSON.parse(await readFile(stampPath, 'utf8')) as { inputHash: string; digest: string };
    await stat(archive);
    if (stamp.inputHash === inputHash) {
      ctx.log(`${ref}: up to date (${archive})`);
      return { ref, archive, digest: stamp.digest };
    }
  } catch {
    // no stamp or no archive: build
  }
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), `ringcast-image-${name}-`));
  try {
    const layers = await recipe.layers(scratch);
    const output = await run(ctx.assemble, ['-ref', ref, '-out', archive, ...layers.flatMap((l) => ['-layer', l]), ...recipe.config]);
    const digest = output.trim().split(/\s+/)[1] ?? '';
    await writeFile(stampPath, JSON.stringify({ inputHash, digest }));
    ctx.log(`${ref}: built in ${((Date.now() - started) / 1000).toFixed(1)} s (${archive}, ${digest})`);
    return { ref, archive, digest };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assemble: { type: 'string' },
      pause: { type: 'string' },
      'out-dir': { type: 'string', default: '.cache/images' },
      'cache-dir': { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (!values.assemble) {
    throw new Error('usage: build-local-images.ts --assemble BIN [--pause BIN] [--out-dir DIR] [--cache-dir DIR] [--only ringcast,redis,pause]');
  }
  const cacheHome = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  const ctx: BuildContext = {
    source: resolve('.'),
    outDir: resolve(values['out-dir']),
    cacheDir: resolve(values['cache-dir'] ?? join(cacheHome, 'ringcast', 'images')),
    assemble: resolve(values.assemble),
    pause: values.pause ? resolve(values.pause) : '',
    log: (message) => console.log(`image: ${message}`),
  };
  await mkdir(ctx.outDir, { recursive: true });
  const all = recipes(ctx);
  const names = (values.only ? values.only.split(',') : Object.keys(all)) as ImageName[];
  const built: Record<string, BuiltImage> = {};
  for (const name of names) {
    const recipe = all[name];
    if (!recipe) throw new Error(`unknown image "${name}" (known: ${Object.keys(all).join(', ')})`);
    if (name === 'pause' && !ctx.pause) throw new Error('the pause image needs --pause BIN (node-tools)');
    built[name] = await buildImage(name, recipe, ctx);
  }
  const indexPath = join(ctx.outDir, 'images.json');
  const previous = await readFile(indexPath, 'utf8').then((text) => JSON.parse(text) as Record<string, BuiltImage>, () => ({}));
  await writeFile(indexPath, `${JSON.stringify({ ...previous, ...built }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(`image: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

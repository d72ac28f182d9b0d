// The images `make image` built (.cache/images/images.json): docker-archives with their image names.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { IMAGE_REFS, type ImageName } from '../../images/image-pins.js';
import { KubeControlPlaneError } from '../helpers/kube-errors.js';
import type { ImageArchive } from './local-cluster.js';

/** The archives of `names`; throws naming `make image` when one is missing or stale. */
export function readImageIndex<N extends ImageName>(names: readonly N[], dir: string = resolve('.cache/images')): Record<N, ImageArchive> {
  const path = join(dir, 'images.json');
  let parsed: Partial<Record<string, ImageArchive>>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<string, ImageArchive>>;
  } catch (error) {
    throw new KubeControlPlaneError('KUBE_TOOLS_MISSING', `no image index at ${path}: run \`make image\` first`, { cause: error });
  }
  const index = {} as Record<N, ImageArchive>;
  for (const name of names) {
    const entry = parsed[name];
    if (!entry || entry.ref !== IMAGE_REFS[name]) {
      throw new KubeControlPlaneError('KUBE_TOOLS_MISSING', `${path} lacks the ${name} image (${IMAGE_REFS[name]}): run \`make image\``);
    }
    index[name] = entry;
  }
  return index;
}

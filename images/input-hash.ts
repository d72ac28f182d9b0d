// Content hash of a build's inputs (files and directory trees), so an unchanged image is not rebuilt.
import { createHash, type Hash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function addPath(hash: Hash, path: string): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    for (const entry of (await readdir(path)).sort()) await addPath(hash, join(path, entry));
    return;
  }
  hash.update(`${path}\0${info.mode}\0`);
  hash.update(await readFile(path));
}

export async function hashInputs(paths: readonly string[], extra: unknown): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(extra));
  for (const path of paths) await addPath(hash, path);
  return hash.digest('hex');
}

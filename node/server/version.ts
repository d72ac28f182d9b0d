import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package version, read once from package.json (found from sources or from dist/). */
export function ringcastVersion(): string {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '../../package.json'), join(here, '../../../package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ringcast' && pkg.version) return (cached = pkg.version);
    } catch {
      // not here; try the next location
    }
  }
  return (cached = '0.0.0');
}

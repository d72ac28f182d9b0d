import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The admin UI files `npm run build` writes to dist/admin-web/. */
export interface AdminAssets {
  index: string;
  login: string;
  script: Buffer;
  style: Buffer;
}

export class AdminAssetsMissingError extends Error {
  readonly code = 'ADMIN_ASSETS_MISSING';
}

/** Finds dist/admin-web whether the node runs from the build (dist/node/admin) or from sources (node/admin). */
function assetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../../admin-web'), join(here, '../../dist/admin-web')];
  for (const candidate of candidates) {
    try {
      if (statSync(join(candidate, 'admin.js')).isFile()) return candidate;
    } catch {
      // try the next location
    }
  }
  throw new AdminAssetsMissingError(
    `admin.enabled is on but the admin UI is not built (looked in ${candidates.join(', ')}): run \`npm run build\` (or \`make build\`)`,
  );
}

/** Reads the built admin UI once, at start. */
export function loadAdminAssets(): AdminAssets {
  const dir = assetsDir();
  return {
    index: readFileSync(join(dir, 'index.html'), 'utf8'),
    login: readFileSync(join(dir, 'login.html'), 'utf8'),
    script: readFileSync(join(dir, 'admin.js')),
    style: readFileSync(join(dir, 'admin.css')),
  };
}

/** Escapes text for an HTML text or attribute context. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

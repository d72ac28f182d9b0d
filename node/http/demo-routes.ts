import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplatedApp } from 'uWebSockets.js';

/** Finds the demo page whether running from sources (node/demo) or from the build (dist/node/demo is absent). */
function demoPagePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../demo/index.html'), join(here, '../../../node/demo/index.html')];
  for (const candidate of candidates) {
    try {
      readFileSync(candidate, { flag: 'r' });
      return candidate;
    } catch {
      // try the next location
    }
  }
  throw new Error('demo page node/demo/index.html not found');
}

/** Serves the demo page at `/` and the official centrifuge browser bundle it loads. */
export function mountDemo(app: TemplatedApp): void {
  const page = readFileSync(demoPagePath());
  const require = createRequire(import.meta.url);
  const bundle = readFileSync(join(dirname(require.resolve('centrifuge')), '../dist/centrifuge.js'));
  app.get('/', (res) => {
    res.cork(() => res.writeHeader('Content-Type', 'text/html; charset=utf-8').end(page));
  });
  app.get('/demo/centrifuge.js', (res) => {
    res.cork(() => res.writeHeader('Content-Type', 'text/javascript; charset=utf-8').end(bundle));
  });
}

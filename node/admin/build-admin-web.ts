// Builds the admin UI into dist/admin-web/: the page code and the official centrifuge SDK bundled into one
// script by esbuild (nothing is fetched at run time), plus the HTML and CSS. Run by `npm run build` after tsc.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = process.cwd();
const source = join(root, 'node', 'admin', 'web');
const out = join(root, 'dist', 'admin-web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, 'main.ts')],
  outfile: join(out, 'admin.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const file of ['index.html', 'login.html', 'admin.css']) copyFileSync(join(source, file), join(out, file));

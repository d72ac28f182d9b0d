// CLI for the Dockerfile's build stage: node --import tsx images/prepare-ringcast-rootfs.ts --out DIR [--source DIR]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { prepareRingcastRootfs } from './ringcast-rootfs.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, source: { type: 'string', default: '.' } } });
if (!values.out) {
  console.error('usage: prepare-ringcast-rootfs.ts --out DIR [--source DIR]');
  process.exit(2);
}
prepareRingcastRootfs(resolve(values.source), resolve(values.out)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

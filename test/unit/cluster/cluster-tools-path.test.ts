// The tests find the binaries `make kube-tools` and `make node-tools` built by computing the same cache
// directory as the Makefile; if the two computations drift apart, the tests would look in the wrong place.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { resolveNodeToolsDir } from '../../cluster/cluster-tools-path.js';
import { resolveKubeToolsDir } from '../../helpers/kube-tools-path.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const env = { HOME: '/home/someone', PATH: process.env['PATH'] };

function makeSays(target: string): string {
  return execFileSync('make', ['-s', target], { cwd: repo, env, encoding: 'utf8' }).trim();
}

describe('cache directories of the cluster binaries', () => {
  it('node-tools: the tests and mk/node-tools.mk agree', () => {
    expect(resolveNodeToolsDir(env)).toBe(makeSays('node-tools-dir'));
  });
  it('kube-tools: the tests and mk/kube.mk agree', () => {
    expect(resolveKubeToolsDir(env)).toBe(makeSays('kube-tools-dir'));
  });
  it('an explicit RINGCAST_NODE_TOOLS_DIR wins', () => {
    expect(resolveNodeToolsDir({ ...env, RINGCAST_NODE_TOOLS_DIR: '/opt/tools' })).toBe('/opt/tools');
  });
});

// The Redis image for the test clusters, from the host's Debian redis-server: the binaries, every shared
// library they load (as ldd resolves them), a shell for probes, an unprivileged user and a writable /data.
import { copyFile, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { run } from './run-command.js';

export const REDIS_USER = { uid: 999, gid: 999 } as const;

const PROGRAMS = [
  { from: '/usr/bin/redis-server', to: '/usr/local/bin/redis-server' },
  { from: '/usr/bin/redis-cli', to: '/usr/local/bin/redis-cli' },
  { from: '/bin/dash', to: '/bin/sh' },
] as const;

/** Absolute library paths ldd reports for `binary` (the dynamic loader included). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const output = await run('ldd', [binary]);
  const libraries: string[] = [];
  for (const line of output.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) libraries.push(match[1]);
  }
  return libraries;
}

async function copyInto(root: string, from: string, to: string): Promise<void> {
  await mkdir(join(root, dirname(to)), { recursive: true });
  // Symlinks (redis-server -> redis-check-rdb, libfoo.so.1 -> libfoo.so.1.2) become the real file.
  await copyFile(await realpath(from), join(root, to));
}

export async function prepareRedisRootfs(out: string): Promise<void> {
  const libraries = new Set<string>();
  for (const program of PROGRAMS) {
    await copyInto(out, program.from, program.to);
    for (const library of await sharedLibraries(program.from)) libraries.add(library);
  }
  for (const library of libraries) await copyInto(out, library, library);
  await mkdir(join(out, 'etc'), { recursive: true });
  await writeFile(join(out, 'etc', 'passwd'), `root:x:0:0:root:/root:/bin/sh\nredis:x:${REDIS_USER.uid}:${REDIS_USER.gid}:redis:/data:/bin/sh\n`);
  await writeFile(join(out, 'etc', 'group'), `root:x:0:\nredis:x:${REDIS_USER.gid}:\n`);
  // The layer is root-owned; sticky world-writable directories let the redis user write without chown.
  for (const dir of ['data', 'tmp']) await mkdir(join(out, dir), { recursive: true, mode: 0o1777 });
  await run('chmod', ['1777', join(out, 'data'), join(out, 'tmp')]);
}

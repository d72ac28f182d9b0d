// Where `make grpc-tools` puts grpcurl. Mirrors GRPC_TOOLS_DIR in mk/grpc-tools.mk: keep the two in step.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = fileURLToPath(new URL('../grpc-tools/', import.meta.url));

/** `grpcurl-<v>_<first 8 hex of sha256(go.mod ‖ go.sum)>`, as in mk/grpc-tools.mk. */
function grpcToolsTag(): string {
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(join(moduleDir, 'go.sum'), 'utf8');
  const hash = createHash('sha256').update(goMod).update(goSum).digest('hex').slice(0, 8);
  const version = /^\s*github\.com\/fullstorydev\/grpcurl\s+(v\S+)/m.exec(goMod)?.[1] ?? 'unknown';
  return `grpcurl-${version}_${hash}`;
}

/** The grpcurl binary, or null when `make grpc-tools` has not built it. */
export function grpcurlPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const cacheHome = env['XDG_CACHE_HOME'] || (env['HOME'] ? join(env['HOME'], '.cache') : '');
  const dir = env['RINGCAST_GRPC_TOOLS_DIR'] || join(cacheHome, 'ringcast', 'grpc-tools', grpcToolsTag());
  const path = join(dir, 'grpcurl');
  return existsSync(path) ? path : null;
}

// `ringcast operator` as a real process (through tsx, from the sources), the way a pod runs it, with its logs in a
// file and the helpers the e2e tests need: its ops port, SIGKILL, SIGTERM, and log lines to wait for.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pollUntil } from './kube-poll.js';
import { spawnManaged, type ManagedProcess } from './kube-process.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliEntry = join(repoRoot, 'cli', 'ringcast.ts');

export interface OperatorProcessOptions {
  /** Kubeconfig YAML the operator runs with (the operator ServiceAccount's). */
  kubeconfigYaml: string;
  /** Namespace to watch (each test file has its own) and of the Lease. */
  namespace: string;
  identity: string;
  /** Extra flags (short resync, lease timings, ...). */
  args?: string[];
  env?: Record<string, string>;
}

export interface OperatorProcess {
  readonly identity: string;
  readonly process: ManagedProcess;
  /** Resolves with the ops port once the operator logged that it started. */
  opsPort(): Promise<number>;
  /** Every JSON log line so far. */
  logLines(): Record<string, unknown>[];
  kill9(): void;
  stop(): Promise<void>;
}

export function startOperatorProcess(options: OperatorProcessOptions): OperatorProcess {
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-operator-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, options.kubeconfigYaml, { mode: 0o600 });
  const logPath = join(dir, 'operator.log');
  const args = [
    '--import',
    'tsx',
    cliEntry,
    'operator',
    '--kubeconfig',
    kubeconfig,
    '--namespace',
    options.namespace,
    '--lease-namespace',
    options.namespace,
    '--identity',
    options.identity,
    '--metrics-address',
    '127.0.0.1:0',
    '--node-image',
    'ringcast/ringcast:test',
    '--log-level',
    'debug',
    ...(options.args ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env['KUBECONFIG'];
  const proc = spawnManaged(`operator ${options.identity}`, process.execPath, args, { logPath, env, orphanCleanupDir: dir });
  const logLines = (): Record<string, unknown>[] => {
    let text = '';
    try {
      text = readFileSync(logPath, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  };
  return {
    identity: options.identity,
    process: proc,
    opsPort: () =>
      pollUntil(
        async () => {
          const started = logLines().find((line) => line['msg'] === 'operator started');
          return typeof started?.['opsPort'] === 'number' ? started['opsPort'] : undefined;
        },
        {
          what: `operator ${options.identity} started`,
          timeoutMs: 60_000,
          abortIf: () => (proc.exitInfo ? `it exited: ${proc.logTail(20)}` : undefined),
        },
      ),
    logLines,
    kill9: () => {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    stop: async () => {
      await proc.stop(10_000);
      if (process.env['RINGCAST_KEEP_OPERATOR_LOGS']) return;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

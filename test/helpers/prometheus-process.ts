// A real Prometheus (Debian's package) on a free loopback port, with its config written by the test, its data
// in a temporary directory and its log in a file; and the HTTP API calls the tests make.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freeLoopbackPorts } from './kube-free-port.js';
import { pollUntil } from './kube-poll.js';
import { spawnManaged, type ManagedProcess } from './kube-process.js';

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusProcess {
  readonly url: string;
  readonly dir: string;
  readonly process: ManagedProcess;
  /** Instant query; throws with Prometheus' error text when the query is refused. */
  query(expr: string): Promise<PromSeries[]>;
  /** Replaces the config and reloads it. */
  reload(configYaml: string): Promise<void>;
  /** Active targets: job, health, last error. */
  targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[]>;
  stop(): Promise<void>;
}

export function prometheusBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('prometheus not found: install Debian\'s prometheus package (make system-deps does)');
  }
}

export interface PrometheusPlacement {
  /** host:port Prometheus listens on where it runs. */
  readonly listen: string;
  /** How to run the binary (e.g. inside the real-pods cluster's namespaces). */
  readonly wrap: (command: string, args: string[]) => { command: string; args: string[] };
  /** A URL this process reaches the listen address by (e.g. through a forwarder). */
  readonly reach: (listen: string) => Promise<string>;
}

/** Starts Prometheus; by default on a free loopback port of this host. */
export async function startPrometheus(configYaml: string, placement?: PrometheusPlacement): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ringcast-prometheus-'));
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, configYaml);
  const listen = placement?.listen ?? `127.0.0.1:${(await freeLoopbackPorts(1))[0] ?? 0}`;
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=${listen}`,
    '--web.enable-lifecycle',
    '--log.level=info',
  ];
  const command = placement ? placement.wrap(prometheusBinary(), args) : { command: prometheusBinary(), args };
  const proc = spawnManaged('prometheus', command.command, command.args, { logPath: join(dir, 'prometheus.log'), orphanCleanupDir: dir });
  const url = placement ? await placement.reach(listen) : `http://${listen}`;
  // Each probe has its own deadline: a forwarded port may reuse the number of an earlier, closed forward whose
  // kept-alive connection fetch would otherwise reuse and wait on forever.
  await pollUntil(async () => ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok ? true : undefined), {
    what: `Prometheus ready at ${url}`,
    timeoutMs: 60_000,
    abortIf: () => (proc.exitInfo ? `it exited: ${proc.logTail(20)}` : undefined),
  });
  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${body.errorType ?? ''} ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    dir,
    process: proc,
    query: async (expr) => {
      const data = await api<{ resultType: string; result: PromSeries[] }>('/api/v1/query', { query: expr });
      if (data.resultType !== 'vector') throw new Error(`expected a vector from ${expr}, got ${data.resultType}`);
      return data.result;
    },
    reload: async (yaml) => {
      writeFileSync(configPath, yaml);
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok) throw new Error(`Prometheus reload failed: ${response.status} ${await response.text()}`);
    },
    targets: async () =>
      (await api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[] }>('/api/v1/targets')).activeTargets,
    stop: async () => {
      await proc.stop(5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

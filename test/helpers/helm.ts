// The real `helm` binary from the kube-tools cache, run as a child process, and the chart's rendered manifests.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

import { resolveKubeToolPaths } from './kube-tools-path.js';
import { repoRoot } from './operator-process.js';

export const chartDir = join(repoRoot, 'charts', 'ringcast');

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args`; never throws for a non-zero exit (the result says how it went). */
export function helm(args: readonly string[], options: { kubeconfig?: string; helmPath?: string; timeoutMs?: number } = {}): Promise<HelmResult> {
  const binary = options.helmPath ?? resolveKubeToolPaths(process.env).helm;
  const env: NodeJS.ProcessEnv = { ...process.env, HELM_CACHE_HOME: join(repoRoot, '.cache', 'helm', 'cache'), HELM_CONFIG_HOME: join(repoRoot, '.cache', 'helm', 'config'), HELM_DATA_HOME: join(repoRoot, '.cache', 'helm', 'data') };
  delete env['KUBECONFIG'];
  if (options.kubeconfig) env['KUBECONFIG'] = options.kubeconfig;
  return new Promise((resolve) => {
    execFile(binary, [...args], { env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** The documents of `helm template` output (empty documents dropped). */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null && typeof doc === 'object');
}

/** `helm template` of the chart; throws with helm's stderr when it fails. */
export async function renderChart(release: string, namespace: string, args: readonly string[] = []): Promise<Manifest[]> {
  const result = await helm(['template', release, chartDir, '--namespace', namespace, ...args]);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}): ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function findManifest(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

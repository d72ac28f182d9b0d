import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CompatServer } from './compat-servers.js';
import { testApiKey } from './test-node.js';

/** The project-local virtualenv `make python-sdk` fills with the pinned official Python packages. */
export const pythonBin = join(process.cwd(), '.cache/pyenv/bin/python');
const scenarios = join(process.cwd(), 'test/python-sdk/scenarios.py');

/**
 * Runs one scenario of test/python-sdk/scenarios.py against `server` and returns the JSON it prints. Fails (never
 * skips) when the virtualenv is missing: the Python SDK checks are part of the suite.
 */
export async function runPythonScenario(
  server: CompatServer,
  scenario: string,
  tokens: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  if (!existsSync(pythonBin)) {
    throw new Error(`${pythonBin} is missing: run \`make python-sdk\` (make test and make test-integration do) first`);
  }
  const child = spawn(pythonBin, [scenarios, scenario], {
    env: {
      ...process.env,
      COMPAT_WS_URL: server.wsUrl,
      COMPAT_API_URL: `${server.httpUrl}/api`,
      COMPAT_API_KEY: testApiKey,
      COMPAT_TOKENS: JSON.stringify(tokens),
      PYTHONUNBUFFERED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`python scenario ${scenario} failed (exit ${code}):\n${stderr}${stdout}`);
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as Record<string, unknown>;
}

import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';

export interface CheckResult {
  ok: boolean;
  /** Lines for stdout (warnings, then the verdict) and stderr (the error). */
  stdout: string[];
  stderr: string[];
}

/** Loads the file as `ringcast serve --config FILE` would (environment included) and reports the outcome. */
export function checkConfigFile(file: string, env: Record<string, string | undefined>): CheckResult {
  try {
    const { warnings } = loadConfig({ file, env });
    return { ok: true, stdout: [...warnings.map((w) => `warning: ${w}`), 'config is valid'], stderr: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, stdout: [], stderr: [`ringcast: invalid config: ${error.message}`] };
    throw error;
  }
}

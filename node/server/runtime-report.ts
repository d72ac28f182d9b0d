import { loadNativeUws } from './native-uws.js';
import { ringcastVersion } from './version.js';

/** What `ringcast version` prints: enough to tell which Node.js and uWebSockets.js build a host or image runs. */
export interface RuntimeReport {
  readonly ringcast: string;
  /** process.version, e.g. v24.22.3. */
  readonly nodejs: string;
  /** The native-addon ABI (process.versions.modules) a uWebSockets.js binary must match. */
  readonly nodeAbi: string;
  readonly platform: string;
  /** `native`, or why the native build is unavailable (the node refuses to serve then). */
  readonly uws: string;
}

export function runtimeReport(env: Record<string, string | undefined>): RuntimeReport {
  let uws = 'native';
  try {
    loadNativeUws(env);
  } catch (error) {
    uws = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    ringcast: ringcastVersion(),
    nodejs: process.version,
    nodeAbi: process.versions.modules,
    platform: `${process.platform}-${process.arch}`,
    uws,
  };
}

export function formatRuntimeReport(report: RuntimeReport): string {
  return [
    `ringcast ${report.ringcast}`,
    `node.js ${report.nodejs} (ABI ${report.nodeAbi}, ${report.platform})`,
    `uWebSockets.js ${report.uws}`,
    '',
  ].join('\n');
}

// What the real-pods globalSetup hands to test files (vitest provide/inject): JSON-serialisable.
import type { ImageName } from '../../images/image-pins.js';

export type PodsProvider = 'local' | 'kind';

export interface PodsClusterInfo {
  readonly provider: PodsProvider;
  readonly adminKubeconfigPath: string;
  /** Image names as the cluster knows them (imported or loaded; never pulled). */
  readonly images: Record<Exclude<ImageName, 'pause'>, string>;
  /** Directory of the daemons' logs (kubelet, containerd, ...); local provider only. */
  readonly logsDir?: string;
  /** PID 1 of the cluster's namespaces and the nsfwd binary, to reach pod addresses; local provider only. */
  readonly nsPid?: number;
  readonly nsfwd?: string;
  readonly kubeToolsDir?: string;
}

export function parseProvider(value: string | undefined): PodsProvider {
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'kind') return 'kind';
  throw new Error(`RINGCAST_E2E_PROVIDER must be "local" or "kind", not "${value}"`);
}

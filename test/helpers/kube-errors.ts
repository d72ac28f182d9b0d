// Errors of the test control plane, each with a stable code so callers and reports can tell them apart.

export type KubeControlPlaneErrorCode =
  | 'KUBE_TOOLS_MISSING'
  | 'KUBE_COMMAND_FAILED'
  | 'KUBE_PROCESS_EXITED'
  | 'KUBE_TIMEOUT';

export class KubeControlPlaneError extends Error {
  readonly code: KubeControlPlaneErrorCode;

  constructor(code: KubeControlPlaneErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeControlPlaneError';
    this.code = code;
  }
}

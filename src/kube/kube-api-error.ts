/** A Kubernetes API request that failed: the HTTP status and the API's Status reason and message. */
export class KubeApiError extends Error {
  readonly code = 'KUBE_API_ERROR';
  constructor(
    readonly status: number,
    /** The Status object's reason (NotFound, Conflict, Forbidden, Invalid, Expired, ...) or ''. */
    readonly reason: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 409;
}

/**
 * The engine cannot serve a channel right now (its Redis shard is down or unreachable). Callers answer with
 * the temporary internal error (100); the client retries. Only the channels on that shard are affected.
 */
export class EngineUnavailableError extends Error {
  readonly code = 'ENGINE_UNAVAILABLE';
  constructor(
    message: string,
    readonly shard: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineUnavailableError';
  }
}

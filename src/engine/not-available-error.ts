/**
 * The engine does not offer this at all (history on the NATS broker, which only moves publications). Callers
 * answer 108 (not available), as Centrifugo does, instead of the temporary 100 a client would retry forever.
 */
export class NotAvailableError extends Error {
  readonly code = 'NOT_AVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'NotAvailableError';
  }
}

/** A frame or message that does not parse as the client protocol; the session disconnects with 3501. */
export class ProtocolDecodeError extends Error {
  readonly code = 'PROTOCOL_DECODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolDecodeError';
  }
}

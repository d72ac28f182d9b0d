import { uniConnectCommand } from '../../src/protocol/uni-json-codec.js';

/**
 * Checks a unidirectional client's ConnectRequest (JSON; none means an empty request) before a stream
 * starts, so a malformed one is answered 400 rather than with a stream that ends at once. Returns the
 * frame for the session, or the reason it is refused.
 */
export function uniFirstFrame(request: Uint8Array | null): Uint8Array | string {
  const frame = request ?? new Uint8Array(0);
  try {
    uniConnectCommand(frame);
  } catch (err) {
    return `malformed connect request: ${(err as Error).message}`;
  }
  return frame;
}

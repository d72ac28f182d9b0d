import { DisconnectCode, ErrorCode, disconnect, type Disconnect } from '../../src/protocol/codes.js';

/**
 * A unidirectional client cannot receive an error reply to its connect request, so the error becomes a
 * disconnect: first by `client.connect_code_to_unidirectional_disconnect` (`transforms`, when enabled), then as
 * Centrifugo maps them by default: expired tokens 3005, too many requests 3013, permission denied 3507, anything
 * else (a connect proxy's own codes too) 3004 (internal).
 */
export function uniConnectErrorDisconnect(errorCode: number, transforms?: ReadonlyMap<number, Disconnect> | null): Disconnect {
  const transformed = transforms?.get(errorCode);
  if (transformed) return transformed;
  switch (errorCode) {
    case ErrorCode.tokenExpired:
    case ErrorCode.expired:
      return disconnect(DisconnectCode.expired);
    case ErrorCode.tooManyRequests:
      return disconnect(DisconnectCode.tooManyRequests);
    case ErrorCode.permissionDenied:
      return disconnect(DisconnectCode.permissionDenied);
    default:
      return disconnect(DisconnectCode.internal);
  }
}

import { DisconnectCode, ErrorCode, disconnect, type Disconnect } from '../../src/protocol/codes.js';

/**
 * A unidirectional client cannot receive an error reply to its connect request, so the error becomes a
 * disconnect, as Centrifugo maps them: expired tokens 3005, too many requests 3013, permission denied 3507,
 * anything else 3004 (internal).
 */
export function uniConnectErrorDisconnect(errorCode: number): Disconnect {
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

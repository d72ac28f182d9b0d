import type { ErrorReply } from './client-protocol.js';

// Error codes of the client protocol and server API (PROTOCOL.md "Codes").
export const ErrorCode = {
  internal: 100,
  unauthorized: 101,
  unknownChannel: 102,
  permissionDenied: 103,
  methodNotFound: 104,
  alreadySubscribed: 105,
  limitExceeded: 106,
  badRequest: 107,
  notAvailable: 108,
  tokenExpired: 109,
  expired: 110,
  tooManyRequests: 111,
  unrecoverablePosition: 112,
} as const;

const errorMessages: Record<number, string> = {
  100: 'internal server error',
  101: 'unauthorized',
  102: 'unknown channel',
  103: 'permission denied',
  104: 'method not found',
  105: 'already subscribed',
  106: 'limit exceeded',
  107: 'bad request',
  108: 'not available',
  109: 'token expired',
  110: 'expired',
  111: 'too many requests',
  112: 'unrecoverable position',
};

const temporaryErrors = new Set<number>([100, 111]);

/** The protocol error for `code`, with Centrifugo's message and temporary flag. */
export function protocolError(code: number, message?: string): ErrorReply {
  const error: ErrorReply = { code, message: message ?? errorMessages[code] ?? 'error' };
  if (temporaryErrors.has(code)) error.temporary = true;
  return error;
}

// Disconnect codes: 3000–3499 tell the client to reconnect, 3500–3999 not to.
export const DisconnectCode = {
  connectionClosed: 3000,
  shutdown: 3001,
  internal: 3004,
  expired: 3005,
  subExpired: 3006,
  slow: 3008,
  writeError: 3009,
  insufficientState: 3010,
  forceReconnect: 3011,
  noPong: 3012,
  tooManyRequests: 3013,
  invalidToken: 3500,
  badRequest: 3501,
  stale: 3502,
  forceNoReconnect: 3503,
  connectionLimit: 3504,
  channelLimit: 3505,
  inappropriateProtocol: 3506,
  permissionDenied: 3507,
  notAvailable: 3508,
  tooManyErrors: 3509,
} as const;

export interface Disconnect {
  code: number;
  reason: string;
}

const disconnectReasons: Record<number, string> = {
  3000: 'connection closed',
  3001: 'shutdown',
  3004: 'internal server error',
  3005: 'connection expired',
  3006: 'subscription expired',
  3008: 'slow',
  3009: 'write error',
  3010: 'insufficient state',
  3011: 'force reconnect',
  3012: 'no pong',
  3013: 'too many requests',
  3500: 'invalid token',
  3501: 'bad request',
  3502: 'stale',
  3503: 'force disconnect',
  3504: 'connection limit',
  3505: 'channel limit',
  3506: 'inappropriate protocol',
  3507: 'permission denied',
  3508: 'not available',
  3509: 'too many errors',
};

export function disconnect(code: number, reason?: string): Disconnect {
  return { code, reason: reason ?? disconnectReasons[code] ?? 'disconnect' };
}

/** Unsubscribe push codes; >= 2500 tells the client to resubscribe. */
export const UnsubscribeCode = {
  client: 0,
  disconnect: 1,
  server: 2000,
  insufficientState: 2500,
  expired: 2501,
} as const;

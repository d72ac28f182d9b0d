import type { Bytes, ErrorReply } from '../protocol/client-protocol.js';
import type { Disconnect } from '../protocol/codes.js';
import type { AnswerReader } from './answer-reader.js';
import { ProxyCallError } from './proxy-call-error.js';
import { decodeStrictBase64 } from './strict-base64.js';

/** Error codes a backend may answer with: the protocol's own (100–113, reused) up to the application range's end. */
export const proxyErrorCodes = { min: 100, max: 1999 } as const;
/** Disconnect codes a backend may answer with: the protocol's own (3000–3999, reused) and the application range. */
export const proxyDisconnectCodes = { min: 3000, max: 4999 } as const;

/**
 * What a backend decided, in Centrifugo's order of precedence: a disconnect, else an error, else the result (which
 * may be absent).
 */
export type ProxyAnswer<R> =
  | { type: 'disconnect'; disconnect: Disconnect }
  | { type: 'error'; error: ErrorReply }
  | { type: 'result'; result: R | undefined };

const maxUint32 = 0xffffffff;

/**
 * Reads the envelope every answer shares (`result`, `error`, `disconnect`) and the result with `readResult`. A code
 * outside the ranges above is malformed: a code the SDKs would misread (a disconnect below 3000 is not even a
 * valid WebSocket close code) must not reach clients.
 */
export function readAnswer<R>(answer: AnswerReader, readResult: (result: AnswerReader) => R): ProxyAnswer<R> {
  const disconnect = answer.message('disconnect');
  if (disconnect) {
    const code = disconnect.integer('code', 0, maxUint32) ?? 0;
    if (code < proxyDisconnectCodes.min || code > proxyDisconnectCodes.max) {
      throw new ProxyCallError('malformed', `answer disconnect.code ${code} is outside ${proxyDisconnectCodes.min}–${proxyDisconnectCodes.max}`);
    }
    return { type: 'disconnect', disconnect: { code, reason: disconnect.string('reason') ?? '' } };
  }
  const error = answer.message('error');
  if (error) {
    const code = error.integer('code', 0, maxUint32) ?? 0;
    if (code < proxyErrorCodes.min || code > proxyErrorCodes.max) {
      throw new ProxyCallError('malformed', `answer error.code ${code} is outside ${proxyErrorCodes.min}–${proxyErrorCodes.max}`);
    }
    const reply: ErrorReply = { code, message: error.string('message') ?? '' };
    if (error.bool('temporary')) reply.temporary = true;
    return { type: 'error', error: reply };
  }
  const result = answer.message('result');
  return { type: 'result', result: result ? readResult(result) : undefined };
}

/** A payload given raw (`info`) or as base64 (`b64info`), the base64 twin winning when set (Centrifugo's rule). */
export function payloadPreferringBase64(reader: AnswerReader, key: string): Bytes | undefined {
  const b64 = reader.string(`b64${key}`);
  if (b64) return decodeBase64Field(b64, `b64${key}`);
  return reader.bytes(key);
}

export function decodeBase64Field(text: string, key: string): Bytes {
  const decoded = decodeStrictBase64(text);
  if (!decoded) throw new ProxyCallError('malformed', `answer field ${key} is not valid base64`);
  return decoded;
}

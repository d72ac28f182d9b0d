import type { Publication } from '../../protocol/client-protocol.js';
import { decodePublicationMessage } from '../../protocol/protobuf-publication.js';
import type { HistorySlice, PublishOutcome } from '../broker.js';

/** A Redis reply that is not what the engine's scripts return (another writer, a different script). */
export class RedisReplyError extends Error {
  readonly code = 'REDIS_REPLY';
}

function integer(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new RedisReplyError(`unexpected ${what} in Redis reply: ${text}`);
  return n;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}

/** `{offset, epoch, remembered}` from the publish-with-history script. */
export function decodePublishReply(reply: unknown): PublishOutcome {
  if (!Array.isArray(reply) || reply.length < 2) throw new RedisReplyError('unexpected reply to a history publish');
  return { offset: integer(reply[0], 'offset'), epoch: text(reply[1]), suppressed: text(reply[2]) === '1' };
}

/** Stream entries `[id "<offset>-0", [field, value, …]]` → publications with their offsets. */
function publicationsOf(entries: unknown): Publication[] {
  if (!Array.isArray(entries)) throw new RedisReplyError('unexpected stream entries in a history reply');
  const publications: Publication[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as unknown;
    if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1])) {
      throw new RedisReplyError('unexpected stream entry in a history reply');
    }
    const id = text(entry[0]);
    const dash = id.indexOf('-');
    const offset = integer(dash > 0 ? id.slice(0, dash) : '', 'stream entry id');
    const fields = entry[1] as unknown[];
    let payload: Buffer | undefined;
    for (let f = 0; f + 1 < fields.length; f += 2) {
      if (text(fields[f]) === 'd' && Buffer.isBuffer(fields[f + 1])) {
        payload = fields[f + 1] as Buffer;
        break;
      }
    }
    if (!payload) throw new RedisReplyError(`stream entry ${id} has no publication`);
    const pub = decodePublicationMessage(payload).pub;
    pub.offset = offset;
    publications[i] = pub;
  }
  return publications;
}

/** `{top offset, epoch, entries?}` from the history script. */
export function decodeHistoryReply(reply: unknown, included: boolean): HistorySlice {
  if (!Array.isArray(reply) || reply.length < 2) throw new RedisReplyError('unexpected reply to a history read');
  const position = { offset: integer(reply[0], 'top offset'), epoch: text(reply[1]) };
  const publications = included && reply.length > 2 ? publicationsOf(reply[2]) : [];
  return { publications, position };
}

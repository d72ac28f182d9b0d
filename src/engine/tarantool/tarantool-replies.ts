import type { Publication } from '../../protocol/client-protocol.js';
import { decodePublicationMessage } from '../../protocol/protobuf-publication.js';
import type { HistorySlice, PublishOutcome } from '../broker.js';
import { textOf } from './iproto.js';

// What the engine's Lua functions return and push, checked field by field: anything else (another module's
// functions, a different schema) is a TarantoolReplyError, never a crash or a silently wrong value.

export class TarantoolReplyError extends Error {
  readonly code = 'TARANTOOL_REPLY';
}

function bytesOf(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TarantoolReplyError(`${what} is not bytes`);
}

function count(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new TarantoolReplyError(`${what} is not a count`);
}

function text(value: unknown, what: string): string {
  const t = textOf(value);
  if (t === undefined) throw new TarantoolReplyError(`${what} is not a string`);
  return t;
}

/** The single value a CALL returned (CALL answers with the list of the function's return values). */
export function firstResult(data: unknown[], what: string): unknown[] {
  const first = data[0];
  if (!Array.isArray(first)) throw new TarantoolReplyError(`unexpected reply to ${what}`);
  return first;
}

/** `{offset, epoch, suppressed}` from centrifuge.publish. */
export function decodePublishResult(data: unknown[]): PublishOutcome {
  const [offset, epoch, suppressed] = firstResult(data, 'a publish');
  return { offset: count(offset, 'offset'), epoch: text(epoch, 'epoch'), suppressed: suppressed === true };
}

/** `{top offset, epoch, {{offset, data}, …}}` from centrifuge.history. */
export function decodeHistoryResult(data: unknown[]): HistorySlice {
  const [top, epoch, entries] = firstResult(data, 'a history read');
  if (!Array.isArray(entries)) throw new TarantoolReplyError('history entries are not a list');
  const publications: Publication[] = entries.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 2) throw new TarantoolReplyError('unexpected history entry');
    const pub = decodePublicationMessage(bytesOf(entry[1], 'publication')).pub;
    pub.offset = count(entry[0], 'publication offset');
    return pub;
  });
  return { publications, position: { offset: count(top, 'top offset'), epoch: text(epoch, 'epoch') } };
}

/** `{{client_id, data}, …}` from centrifuge.presence. */
export function decodePresenceEntries(data: unknown[]): Array<[string, Uint8Array]> {
  return firstResult(data, 'a presence read').map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 2) throw new TarantoolReplyError('unexpected presence entry');
    return [text(entry[0], 'client id'), bytesOf(entry[1], 'client info')];
  });
}

export function decodePresenceStats(data: unknown[]): { numClients: number; numUsers: number } {
  const [clients, users] = firstResult(data, 'presence stats');
  return { numClients: count(clients, 'clients'), numUsers: count(users, 'users') };
}

/** One PUB/SUB message `{type, channel, offset, epoch, data[, prev]}` of a get_messages push. */
export interface PushedMessage {
  type: string;
  channel: string;
  offset: number;
  epoch: string;
  data: Uint8Array;
  prev: Uint8Array | undefined;
}

export function decodePushedMessage(value: unknown): PushedMessage {
  if (!Array.isArray(value) || value.length < 5) throw new TarantoolReplyError('unexpected PUB/SUB message');
  const prev = value.length > 5 ? bytesOf(value[5], 'previous publication') : undefined;
  return {
    type: text(value[0], 'message type'),
    channel: text(value[1], 'channel'),
    offset: count(value[2], 'offset'),
    epoch: text(value[3], 'epoch'),
    data: bytesOf(value[4], 'payload'),
    prev: prev && prev.length > 0 ? prev : undefined,
  };
}

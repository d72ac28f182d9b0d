import type { HistoryResult, StreamPosition } from '../../src/protocol/client-protocol.js';
import { NotAvailableError } from '../../src/engine/not-available-error.js';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { NodeContext } from '../server/node-context.js';
import type { ChannelAccessOptions } from './channel-access.js';

export interface HistoryQuery {
  /** 0 = only the stream position; > 0 = at most that many; negative = the whole stream (both capped by maxLimit). */
  limit: number;
  since?: StreamPosition | undefined;
  reverse: boolean;
  maxLimit: number;
}

/**
 * Reads a channel's history for the client command and the server API with Centrifugo's rules: a negative
 * limit means the whole stream, and `maxLimit` (> 0) caps both a larger and a negative limit
 * (`client.history_max_publication_limit` for clients; none for the server API); a reverse read from offset 0 is
 * a bad request (107), a `since` from another epoch is an unrecoverable position (112).
 */
export async function readHistory(
  ctx: NodeContext,
  channel: string,
  options: ChannelAccessOptions,
  query: HistoryQuery,
): Promise<{ result: HistoryResult } | { error: number }> {
  if (query.reverse && query.since && query.since.offset === 0) return { error: ErrorCode.badRequest };
  let limit = query.limit < 0 ? -1 : query.limit;
  if (query.maxLimit > 0 && (limit < 0 || limit > query.maxLimit)) limit = query.maxLimit;
  try {
    const slice = await ctx.broker.history(channel, {
      filter: { limit, reverse: query.reverse, ...(query.since ? { since: query.since } : {}) },
      metaTtlMs: options.history_meta_ttl,
    });
    if (query.since && query.since.epoch !== '' && query.since.epoch !== slice.position.epoch) {
      return { error: ErrorCode.unrecoverablePosition };
    }
    return { result: { publications: slice.publications, epoch: slice.position.epoch, offset: slice.position.offset } };
  } catch (err) {
    if (err instanceof NotAvailableError) return { error: ErrorCode.notAvailable };
    ctx.logger.warn({ channel, err }, 'history read failed');
    return { error: ErrorCode.internal };
  }
}

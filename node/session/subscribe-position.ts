import { isStreamRecovered } from '../../src/engine/stream-position.js';
import type { Publication, StreamPosition, SubscribeResult } from '../../src/protocol/client-protocol.js';
import { asJsonString } from '../delivery/publication-frames.js';
import type { ChannelSubscription } from './channel-subscription.js';
import type { Session } from './session.js';

export interface PositionRequest {
  /** The client is resubscribing after a disconnect and asks for what it missed. */
  recover: boolean;
  since: StreamPosition;
  /** Reply 112 instead of `recovered: false` (SubscribeRequest flag bit 2). */
  rejectUnrecoverable: boolean;
}

export type PositionOutcome = { ok: true; result: SubscribeResult } | { ok: false; unrecoverable: true };

/**
 * Reads the stream for a recoverable or positioned subscription, after the session is already registered for
 * live publications (those arriving meanwhile are held and merged by offset afterwards). Recovery is all or
 * nothing: every missed publication (`recovered: true`) or none.
 */
export async function establishPosition(
  session: Session,
  sub: ChannelSubscription,
  recoverable: boolean,
  request: PositionRequest,
): Promise<PositionOutcome> {
  const ctx = session.ctx;
  const metaTtlMs = sub.options.history_meta_ttl;
  const result: SubscribeResult = { positioned: true };
  if (recoverable) result.recoverable = true;
  let publications: Publication[] = [];
  let position: StreamPosition;

  if (recoverable && request.recover) {
    result.was_recovering = true;
    if (sub.options.force_recovery_mode === 'cache') {
      // Cache mode: the latest publication is the whole state; the client gets it if it is newer.
      const latest = await ctx.broker.history(sub.channel, { filter: { limit: 1, reverse: true }, metaTtlMs });
      position = latest.position;
      const last = latest.publications[0];
      // Centrifuge's rule: the client holds the state only at a non-zero offset of the same epoch.
      const atTop =
        request.since.offset > 0 && request.since.epoch === position.epoch && request.since.offset === position.offset;
      if (last && !atTop) publications = [last];
      result.recovered = last ? last.offset === position.offset : atTop;
    } else {
      const limit = ctx.client.recoveryMaxPublicationLimit;
      const slice = await ctx.broker.history(sub.channel, {
        filter: { since: request.since, limit: limit > 0 ? limit + 1 : -1 },
        metaTtlMs,
      });
      position = slice.position;
      const withinLimit = limit <= 0 || slice.publications.length <= limit;
      result.recovered = withinLimit && isStreamRecovered(request.since, slice.publications, position);
      if (result.recovered) publications = slice.publications;
    }
    if (!result.recovered && request.rejectUnrecoverable) return { ok: false, unrecoverable: true };
  } else {
    position = (await ctx.broker.history(sub.channel, { filter: { limit: 0 }, metaTtlMs })).position;
  }

  result.epoch = position.epoch;
  result.offset = position.offset;
  if (publications.length > 0) {
    const epoch = position.epoch;
    result.publications = sub.delta && !session.codec.binary
      ? publications.map((pub) => ({ ...pub, data: asJsonString(pub.data), epoch }))
      : publications.map((pub) => ({ ...pub, epoch }));
  }
  sub.epoch = position.epoch;
  sub.offset = position.offset;
  return { ok: true, result };
}

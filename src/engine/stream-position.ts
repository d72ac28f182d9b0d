import type { Publication, StreamPosition } from '../protocol/client-protocol.js';

/**
 * Pure rules about history stream positions, shared by recovery (subscribe with `recover`), positioned
 * subscriptions (gap detection) and the history API. Recovery is all or nothing: either every publication after
 * `since` comes back or none does.
 */

/**
 * Whether a client at `since` can catch up to `position` with at most `maxPublications` publications
 * (0 = no limit), judged from positions alone, before reading the stream. The stream may still have trimmed or
 * expired what is missing; `isStreamRecovered` decides after the read.
 */
export function isRecoverable(since: StreamPosition, position: StreamPosition, maxPublications: number): boolean {
  if (since.epoch !== position.epoch || since.offset > position.offset) return false;
  return maxPublications <= 0 || position.offset - since.offset <= maxPublications;
}

/**
 * Whether `publications` (read forward from `since`, as `HistoryFilter` returns them) are exactly everything
 * after `since` up to the stream's `position`: same epoch (an empty `since.epoch` matches any epoch, as in
 * Centrifuge: a client that knows an offset but no epoch), nothing missing at the start (trimmed/expired) and
 * nothing cut at the end (limit). With no publications the client must already be at the top.
 */
export function isStreamRecovered(
  since: StreamPosition,
  publications: readonly Publication[],
  position: StreamPosition,
): boolean {
  if (since.epoch !== '' && since.epoch !== position.epoch) return false;
  const first = publications[0];
  const last = publications[publications.length - 1];
  if (!first || !last) return since.offset === position.offset;
  return first.offset === since.offset + 1 && last.offset === position.offset;
}

/**
 * Whether a publication at `next` directly follows `current` in one stream: the check a positioned subscription
 * makes for every publication; false means a gap (or a new epoch) and the subscriber must recover.
 */
export function followsPosition(current: StreamPosition, next: StreamPosition): boolean {
  return next.epoch === current.epoch && next.offset === current.offset + 1;
}

import type { HistoryFilter } from './broker.js';

/** A `HistoryFilter` as the stored stream scripts (Redis Lua, Tarantool Lua) take it. */
export interface HistoryReadRange {
  /** False when no publication is wanted: limit 0, or a reverse read from offset 1 or below. */
  include: boolean;
  /** The first offset to read (0 = from the start, or from the top when reverse); inclusive. */
  from: number;
  /** Most publications to return; 0 = all. */
  limit: number;
  reverse: boolean;
}

/** The exclusive `since` position of the filter turned into the inclusive offset the scripts start at. */
export function historyReadRange(filter: HistoryFilter): HistoryReadRange {
  const { since, limit, reverse } = filter;
  let include = limit !== 0;
  let from = 0;
  if (since) {
    if (reverse) {
      from = since.offset - 1;
      if (from <= 0) include = false;
    } else {
      from = since.offset + 1;
    }
  }
  return { include, from, limit: limit > 0 ? limit : 0, reverse: reverse === true };
}

import { randomBytes } from 'node:crypto';
import type { Publication } from '../../protocol/client-protocol.js';
import type { HistoryFilter } from '../broker.js';

const epochLetters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A short random epoch (four letters, as Centrifuge's memory engine uses). */
export function newEpoch(): string {
  const bytes = randomBytes(4);
  let epoch = '';
  for (const byte of bytes) epoch += epochLetters[byte % epochLetters.length];
  return epoch;
}

/**
 * One channel's history: an epoch, the top offset, and the newest publications with consecutive offsets ending
 * at the top. Items live in an array with a moving head (compacted when half of it is dead), so appending and
 * trimming are O(1) amortised and an offset maps to an index arithmetically.
 */
export class MemoryStream {
  readonly epoch = newEpoch();
  private topOffset = 0;
  private items: Array<Publication | undefined> = [];
  private head = 0;

  get top(): number {
    return this.topOffset;
  }

  /** How many publications the stream keeps now. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends `pub` (stored as given, with its offset set) and keeps at most `maxSize` items; returns the offset. */
  append(pub: Publication, maxSize: number): number {
    this.topOffset++;
    pub.offset = this.topOffset;
    this.items.push(pub);
    const excess = this.length - Math.max(1, maxSize);
    if (excess > 0) {
      for (let i = 0; i < excess; i++) this.items[this.head + i] = undefined;
      this.head += excess;
      if (this.head > 64 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
    return this.topOffset;
  }

  /** Drops every publication; epoch and top offset stay. */
  clear(): void {
    this.items = [];
    this.head = 0;
  }

  /** A copy of the newest publication, if any. */
  last(): Publication | undefined {
    const pub = this.length > 0 ? this.items[this.items.length - 1] : undefined;
    return pub ? { ...pub } : undefined;
  }

  /** Publications selected by `filter` (copies; see HistoryFilter for the rules). */
  read(filter: HistoryFilter): Publication[] {
    const count = this.length;
    if (filter.limit === 0 || count === 0) return [];
    const first = this.topOffset - count + 1;
    const max = filter.limit < 0 ? count : Math.min(filter.limit, count);
    const result: Publication[] = [];
    if (filter.reverse) {
      let from = this.topOffset;
      if (filter.since) from = Math.min(filter.since.offset - 1, this.topOffset);
      for (let offset = from; offset >= first && result.length < max; offset--) result.push(this.at(offset, first));
    } else {
      let from = first;
      if (filter.since) from = Math.max(filter.since.offset + 1, first);
      for (let offset = from; offset <= this.topOffset && result.length < max; offset++) {
        result.push(this.at(offset, first));
      }
    }
    return result;
  }

  private at(offset: number, first: number): Publication {
    return { ...this.items[this.head + offset - first]! };
  }
}

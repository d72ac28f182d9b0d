import { parse } from 'yaml';
import type { Ring, ShardSpec } from './ring.js';

export class RingFileError extends Error {
  readonly code = 'RING_FILE';
}

/**
 * Reads a ring file: YAML or JSON, either a list of shards or `{version?, shards: [...]}`; each shard is an
 * address string or `{name?, address}`. A shard without a name is named by `defaultName(address)`.
 * Returns the shards and the file's version, if it states one.
 */
export function parseRingFile(
  text: string,
  defaultName: (address: string) => string,
): { version: number | undefined; shards: ShardSpec[] } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new RingFileError(`not YAML or JSON: ${(err as Error).message}`);
  }
  let version: number | undefined;
  let list: unknown = doc;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const o = doc as Record<string, unknown>;
    list = o['shards'];
    if (o['version'] !== undefined) {
      if (!Number.isSafeInteger(o['version']) || (o['version'] as number) < 0) {
        throw new RingFileError('version must be a non-negative integer');
      }
      version = o['version'] as number;
    }
  }
  if (!Array.isArray(list) || list.length === 0) throw new RingFileError('expected a non-empty list of shards');
  const shards = list.map((entry: unknown, i): ShardSpec => {
    if (typeof entry === 'string' && entry.trim() !== '') return { name: defaultName(entry.trim()), address: entry.trim() };
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const { name, address } = entry as Record<string, unknown>;
      if (typeof address !== 'string' || address.trim() === '') throw new RingFileError(`shard ${i}: address missing`);
      if (name !== undefined && (typeof name !== 'string' || name === '')) throw new RingFileError(`shard ${i}: bad name`);
      return { name: (name as string | undefined) ?? defaultName(address.trim()), address: address.trim() };
    }
    throw new RingFileError(`shard ${i}: expected an address or {name, address}`);
  });
  const names = new Set(shards.map((s) => s.name));
  if (names.size !== shards.length) throw new RingFileError('shard names must be unique');
  return { version, shards };
}

/** The next ring after `previous` with these shards; undefined when nothing changed. */
export function nextRing(previous: Ring | undefined, parsed: { version: number | undefined; shards: ShardSpec[] }): Ring | undefined {
  const candidate: Ring = { version: parsed.version ?? (previous ? previous.version + 1 : 1), shards: parsed.shards };
  if (previous && sameList(previous.shards, candidate.shards)) return undefined;
  return candidate;
}

function sameList(a: readonly ShardSpec[], b: readonly ShardSpec[]): boolean {
  return a.length === b.length && a.every((s, i) => s.name === b[i]!.name && s.address === b[i]!.address);
}

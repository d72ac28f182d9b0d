import type { RingShardStatus, RingStatus } from '../../src/kube/realtime-cluster-status.js';

/** A shard the spec asks for, with whether it is reachable now. */
export interface DesiredShard {
  name: string;
  address: string;
  ready: boolean;
}

export interface RingDecision {
  /** The ring to publish (undefined: none yet). */
  ring: RingStatus | undefined;
  /** The shard list changed (version bumped). */
  changed: boolean;
  /** Shards added to the ring by this decision, and shards removed from it. */
  appended: string[];
  removed: string[];
  /** Wanted shards that are not in the ring yet because they (or others they wait behind) are not ready. */
  waitingFor: string[];
}

const sameShard = (a: { name: string; address: string }, b: { name: string; address: string }): boolean =>
  a.name === b.name && a.address === b.address;

function isPrefix(prefix: readonly { name: string; address: string }[], of: readonly { name: string; address: string }[]): boolean {
  return prefix.length <= of.length && prefix.every((shard, i) => sameShard(shard, of[i]!));
}

function ringOf(version: number, shards: readonly { name: string; address: string }[], ready: (name: string) => boolean): RingStatus {
  const list: RingShardStatus[] = shards.map((shard, index) => ({
    index,
    name: shard.name,
    address: shard.address,
    ready: ready(shard.name),
  }));
  return { version, size: list.length, shards: list };
}

/**
 * The ring to publish, given the one published and the shards wanted. A ring is first published once every shard
 * it names is ready; new shards are appended, in order, each only once it is ready; a confirmed shrink is published
 * at once (nodes must stop using a shard before its pod goes); any other change (reordering, replacing, switching
 * between managed and external Redis, all confirmed in the spec) waits until every new shard is ready and then
 * replaces the list. The version increases by one with every change of the list; readiness flags are refreshed
 * without a version change.
 */
export function nextRing(published: RingStatus | undefined, desired: readonly DesiredShard[]): RingDecision {
  const readiness = new Map(desired.map((shard) => [shard.name, shard.ready]));
  const ready = (name: string): boolean => readiness.get(name) ?? published?.shards.find((s) => s.name === name)?.ready ?? false;
  const notReady = desired.filter((shard) => !shard.ready).map((shard) => shard.name);

  if (!published) {
    if (desired.length > 0 && notReady.length === 0) {
      return { ring: ringOf(1, desired, ready), changed: true, appended: desired.map((s) => s.name), removed: [], waitingFor: [] };
    }
    return { ring: undefined, changed: false, appended: [], removed: [], waitingFor: notReady };
  }

  const current = published.shards;
  if (isPrefix(current, desired)) {
    const additions = desired.slice(current.length);
    const firstWaiting = additions.findIndex((shard) => !shard.ready);
    const appended = firstWaiting === -1 ? additions : additions.slice(0, firstWaiting);
    const waitingFor = firstWaiting === -1 ? [] : additions.slice(firstWaiting).map((shard) => shard.name);
    const changed = appended.length > 0;
    const shards = [...current, ...appended];
    return {
      ring: ringOf(changed ? published.version + 1 : published.version, shards, ready),
      changed,
      appended: appended.map((shard) => shard.name),
      removed: [],
      waitingFor,
    };
  }
  if (isPrefix(desired, current) && desired.length > 0) {
    return {
      ring: ringOf(published.version + 1, desired, ready),
      changed: true,
      appended: [],
      removed: current.slice(desired.length).map((shard) => shard.name),
      waitingFor: [],
    };
  }
  if (desired.length > 0 && notReady.length === 0) {
    const kept = new Set(desired.map((shard) => `${shard.name}\n${shard.address}`));
    return {
      ring: ringOf(published.version + 1, desired, ready),
      changed: true,
      appended: desired.filter((shard) => !current.some((c) => sameShard(c, shard))).map((shard) => shard.name),
      removed: current.filter((shard) => !kept.has(`${shard.name}\n${shard.address}`)).map((shard) => shard.name),
      waitingFor: [],
    };
  }
  return { ring: ringOf(published.version, current, ready), changed: false, appended: [], removed: [], waitingFor: notReady };
}

import { describeRing, placeChannels, type RingReport } from '../../src/engine/redis/ring-report.js';
import { runApiMethod } from '../http/api/api-dispatch.js';
import type { NodeContext } from '../server/node-context.js';
import type { NodeEngine } from '../server/node-engine.js';

export interface RingAnswer {
  /** `memory`: the node is the whole cluster; `other`: nodes share an engine that has no ring of Redis shards. */
  engine: 'memory' | 'redis' | 'other';
  /** The node that answered (shard health is as this node sees it). */
  node: string;
  ring?: RingReport;
  /** Channels with subscribers anywhere in the cluster, per shard index (when asked: it takes a survey). */
  channels_per_shard?: number[];
}

/** Most channels one placement request may ask about. */
export const placementLimit = 1000;

/** The ring and its shards' health; with `countChannels`, how many active channels live on each shard. */
export async function ringAnswer(ctx: NodeContext, engine: NodeEngine, countChannels: boolean): Promise<RingAnswer> {
  const redis = engine.redis;
  if (!redis) return { engine: engine.controller ? 'other' : 'memory', node: ctx.nodeName };
  const answer: RingAnswer = { engine: 'redis', node: ctx.nodeName, ring: describeRing(redis.ring) };
  if (countChannels) {
    // The same `channels` method the server API runs (a survey of every node).
    const outcome = await runApiMethod(ctx, 'channels', {});
    if ('result' in outcome) {
      const names = Object.keys((outcome.result as { channels: Record<string, unknown> }).channels);
      const counts = new Array<number>(answer.ring!.shards.length).fill(0);
      for (const index of placeChannels(redis.ring, names).values()) counts[index] = (counts[index] ?? 0) + 1;
      answer.channels_per_shard = counts;
    }
  }
  return answer;
}

/** The shard name each channel lives on; empty on the memory engine. */
export function placement(engine: NodeEngine, channels: readonly string[]): Record<string, string> {
  const redis = engine.redis;
  if (!redis) return {};
  const shards = redis.ring.all();
  const out: Record<string, string> = {};
  for (const [channel, index] of placeChannels(redis.ring, channels)) out[channel] = shards[index]?.name ?? '';
  return out;
}

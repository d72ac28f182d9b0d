// The load of the shard-outage tests (Redis shard, Tarantool instance): channels on two shards of a ring,
// subscribers of the official SDK on one node, a publisher per channel on another node's API that keeps going
// through the outage, and the check that every acknowledged publication reached its subscriber, in order.
import { Centrifuge } from 'centrifuge';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { channelsOnShard } from './test-cluster.js';
import type { TestNode } from './test-node.js';
import { hs256Token } from './tokens.js';
import { waitFor } from './wait-for.js';

export type Client = InstanceType<typeof Centrifuge>;

export interface ChannelLoad {
  channel: string;
  shard: number;
  acked: Array<{ offset: number; epoch: string }>;
  errors: number[];
  /** Offsets of the publications the subscriber received, in arrival order. */
  received: number[];
  /** `recovered` of every subscribed event (the first is the initial subscribe). */
  recovered: boolean[];
}

/** `perShard` channels on each of shards 0 and 1 of a two-shard ring, named `<prefix>zero-…` / `<prefix>one-…`. */
export function twoShardLoads(prefix: string, perShard: number): ChannelLoad[] {
  return [
    ...channelsOnShard(`${prefix}zero-`, 0, 2, perShard).map((channel) => ({ channel, shard: 0 })),
    ...channelsOnShard(`${prefix}one-`, 1, 2, perShard).map((channel) => ({ channel, shard: 1 })),
  ].map((c) => ({ ...c, acked: [], errors: [], received: [], recovered: [] }));
}

/** Spreads the channels over `clientCount` SDK clients on `node` and waits until the node holds every subscription. */
export async function subscribeLoads(node: TestNode, loads: ChannelLoad[], clientCount: number, clients: Client[]): Promise<void> {
  for (let i = 0; i < clientCount; i++) {
    const client = new Centrifuge(node.wsUrl, { websocket: WebSocket, token: await hs256Token({ sub: `s${i}` }) });
    clients.push(client);
    for (const load of loads.filter((_, j) => j % clientCount === i)) {
      const sub = client.newSubscription(load.channel);
      sub.on('publication', (ctx) => load.received.push(ctx.offset ?? 0));
      sub.on('subscribed', (ctx) => load.recovered.push(ctx.recovered));
      sub.subscribe();
    }
    client.connect();
  }
  await waitFor(`subscriptions on node ${node.node.ctx.nodeName}`, () => node.node.ctx.hub.subscriptions === loads.length, 10_000);
}

export interface Publishing {
  /** Set while the shard is down: acknowledged publications on shard 0 are then counted. */
  outage: boolean;
  /** Publications acknowledged on shard 0 while `outage` was set. */
  okOnLiveShard: number;
  stop(): Promise<void>;
}

/** One publisher per channel through `node`'s API, a publication every ~5 ms, recording answers and errors. */
export function startPublishing(node: TestNode, loads: ChannelLoad[]): Publishing {
  let running = true;
  const state = {
    outage: false,
    okOnLiveShard: 0,
    stop: async (): Promise<void> => {
      running = false;
      await publishing;
    },
  };
  const publishLoop = async (load: ChannelLoad): Promise<void> => {
    for (let seq = 0; running; seq++) {
      const { json } = await node.api('publish', { channel: load.channel, data: { seq } });
      const body = json as { result?: { offset: number; epoch: string }; error?: { code: number } };
      if (body.result) {
        load.acked.push(body.result);
        if (state.outage && load.shard === 0) state.okOnLiveShard++;
      } else {
        load.errors.push(body.error!.code);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const publishing = Promise.all(loads.map(publishLoop));
  return state;
}

/**
 * Shard 0's channels never erred, shard 1's only with 100; every acknowledged publication arrived, from one
 * stream (one epoch), with no offset missing or repeated from 1 on; shard 1's subscribers recovered.
 */
export async function expectEveryAcknowledgedReceived(loads: ChannelLoad[]): Promise<void> {
  // A node tells its subscribers to recover once both of its connections to the shard are back; each
  // reconnects on its own backoff (up to 2 s apart), and live publications may arrive before that.
  for (const load of loads.filter((l) => l.shard === 1)) {
    await waitFor(`the subscriber of ${load.channel} told to recover`, () => load.recovered.slice(1).includes(true), 20_000);
  }
  for (const load of loads) {
    if (load.shard === 0) expect(load.errors, load.channel).toEqual([]);
    else expect(new Set(load.errors), load.channel).toEqual(new Set([100]));
    const acked = load.acked.map((p) => p.offset);
    await waitFor(`every acknowledged publication on ${load.channel}`, () => {
      const got = new Set(load.received);
      return acked.every((o) => got.has(o));
    }, 20_000);
    expect(new Set(load.acked.map((p) => p.epoch)).size, load.channel).toBe(1);
    expect(load.received, load.channel).toEqual(Array.from({ length: load.received.length }, (_, i) => i + 1));
  }
}

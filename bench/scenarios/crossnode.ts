import type { BenchContext } from '../context.js';
import { HttpPublisher } from '../http-publisher.js';
import { ceilingStep, runRamp, runStep, type StepResult } from '../load-step.js';
import { createSubscribers } from '../native-pool.js';
import { channelClients } from './personal-clients.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface CrossNodeData {
  history: boolean;
  shards: number;
  channels: number;
  perChannel: number;
  batch: number;
  ready: number;
  steps: StepResult[];
  ceiling: StepResult | undefined;
}

/**
 * Cross-node delivery through Redis: the API of one node (--api-url) publishes round-robin over many small
 * channels whose subscribers are connected to another node (--url). Every publication crosses the engine:
 * publish on node A → Redis (PUBLISH, or the history script) → PUB/SUB to node B → fan-out. Besides the
 * subscriber node's CPU per delivery, each step measures the publishing node's and the shards' CPU and the
 * Redis commands per publication (--publisher-pid, --redis-pids, --redis-addresses).
 */
export async function runCrossNode(ctx: BenchContext): Promise<ScenarioOutcome<CrossNodeData>> {
  const o = ctx.options;
  const history = o.history === 'on';
  const base = history ? `${o.historyNamespace}:${o.channelPrefix}` : o.channelPrefix;
  const name = (i: number): string => `${base}.xn.${i % o.channels}`;
  const clients = o.channels * o.perChannel;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, {
    target: ctx.ws,
    auth: o.auth,
    concurrency: o.concurrency,
    spreadSources: o.spreadSources,
    readIntervalMs: o.readIntervalMs,
  });
  const publisher = new HttpPublisher(
    {
      target: ctx.api,
      connections: o.apiConnections,
      window: o.apiWindow,
      payloadBytes: o.payloadBytes,
      batch: o.batch,
      parallel: o.parallelBatch,
    },
    name,
  );
  await publisher.start();
  const problems: string[] = [];
  try {
    await pool.add(channelClients(o, 0, clients, name));
    const opened = await connectClients(ctx, pool, clients, problems);
    // Unmeasured warm-up at the first step's rate: a fresh Node.js node compiles its publish and delivery
    // paths on first use, which would otherwise land in the first measured step.
    await runStep(ctx, publisher, pool, {
      rate: Math.max(1, o.startRate / o.perChannel),
      fanout: o.perChannel,
      warmupMs: 0,
      measureMs: 3000,
      title: 'crossnode warm-up',
    });
    const steps = await runRamp(ctx, publisher, pool, {
      startRate: Math.max(1, o.startRate / o.perChannel),
      factor: o.rampFactor,
      maxSteps: o.maxSteps,
      fanout: o.perChannel,
      title: `crossnode ${o.redisAddresses.length || '?'} shard(s), history ${history ? 'on' : 'off'}`,
    });
    const ceiling = ceilingStep(steps);
    return {
      generatorCpu: ceiling?.generatorCpu ?? 0,
      problems: [...problems, ...(await closeProblems(pool))],
      data: {
        history,
        shards: o.redisAddresses.length,
        channels: o.channels,
        perChannel: o.perChannel,
        batch: o.batch,
        ready: opened.ready,
        steps,
        ceiling,
      },
    };
  } finally {
    publisher.stop();
    await pool.closeAll();
  }
}

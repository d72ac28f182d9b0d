import type { BenchContext } from '../context.js';
import { HttpPublisher } from '../http-publisher.js';
import { ceilingStep, runRamp, type StepResult } from '../load-step.js';
import { createSubscribers } from '../native-pool.js';
import { channelClients } from './personal-clients.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface FanoutLevel {
  subscribers: number;
  ready: number;
  steps: StepResult[];
  /** The step with the most deliveries per second. */
  ceiling: StepResult | undefined;
}

export interface FanoutData {
  channel: string;
  levels: FanoutLevel[];
}

/** One channel; for each subscriber count, ramps the publish rate until the server saturates. */
export async function runFanout(ctx: BenchContext): Promise<ScenarioOutcome<FanoutData>> {
  const o = ctx.options;
  const channel = `${o.channelPrefix}.fanout`;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, { target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources, readIntervalMs: o.readIntervalMs });
  const publisher = new HttpPublisher(
    { target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: o.batch },
    () => channel,
  );
  await publisher.start();
  const problems: string[] = [];
  const levels: FanoutLevel[] = [];
  let generatorCpu = 0;
  let seen: string[] = [];
  try {
    for (const subscribers of [...o.subscribers].sort((a, b) => a - b)) {
      if (pool.size < subscribers) await pool.add(channelClients(o, pool.size, subscribers, () => channel));
      const opened = await connectClients(ctx, pool, subscribers, problems);
      const steps = await runRamp(ctx, publisher, pool, {
        startRate: Math.max(1, o.startRate / subscribers),
        factor: o.rampFactor,
        maxSteps: o.maxSteps,
        fanout: subscribers,
        title: `fanout ${subscribers}`,
      });
      const ceiling = ceilingStep(steps);
      // The result stands or falls with the ceiling step: was the generator the limit there?
      generatorCpu = Math.max(generatorCpu, ceiling?.generatorCpu ?? 0);
      levels.push({ subscribers, ready: opened.ready, steps, ceiling });
    }
    seen = await closeProblems(pool);
  } finally {
    publisher.stop();
    await pool.closeAll();
  }
  return { generatorCpu, problems: [...problems, ...seen], data: { channel, levels } };
}

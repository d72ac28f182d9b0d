import type { BenchContext } from '../context.js';
import { HttpPublisher } from '../http-publisher.js';
import { ceilingStep, runRamp, type StepResult } from '../load-step.js';
import { createSubscribers } from '../native-pool.js';
import { channelClients } from './personal-clients.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface ChannelsData {
  channels: number;
  perChannel: number;
  batch: number;
  ready: number;
  steps: StepResult[];
  ceiling: StepResult | undefined;
}

/** Many small channels: publications round-robin over them, each reaching `perChannel` subscribers. */
export async function runChannels(ctx: BenchContext): Promise<ScenarioOutcome<ChannelsData>> {
  const o = ctx.options;
  const name = (i: number): string => `${o.channelPrefix}.ch.${i % o.channels}`;
  const clients = o.channels * o.perChannel;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, { target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources, readIntervalMs: o.readIntervalMs });
  const publisher = new HttpPublisher(
    { target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: o.batch },
    name,
  );
  await publisher.start();
  const problems: string[] = [];
  try {
    await pool.add(channelClients(o, 0, clients, name));
    const opened = await connectClients(ctx, pool, clients, problems);
    const steps = await runRamp(ctx, publisher, pool, {
      startRate: Math.max(1, o.startRate / o.perChannel),
      factor: o.rampFactor,
      maxSteps: o.maxSteps,
      fanout: o.perChannel,
      title: `channels ${o.channels}x${o.perChannel}`,
    });
    const ceiling = ceilingStep(steps);
    const generatorCpu = ceiling?.generatorCpu ?? 0;
    return {
      generatorCpu,
      problems: [...problems, ...(await closeProblems(pool))],
      data: { channels: o.channels, perChannel: o.perChannel, batch: o.batch, ready: opened.ready, steps, ceiling },
    };
  } finally {
    publisher.stop();
    await pool.closeAll();
  }
}

import type { BenchContext } from '../context.js';
import { HttpPublisher } from '../http-publisher.js';
import { ceilingStep, fmtPct, runRamp, runStep, type StepResult } from '../load-step.js';
import { formatRate, formatUs } from '../progress.js';
import { roundRate } from '../rate-controller.js';
import { createSubscribers } from '../native-pool.js';
import { channelClients } from './personal-clients.js';
import { closeProblems, connectClients } from './ramp-clients.js';
import type { ScenarioOutcome } from './scenario.js';

export interface LatencyData {
  subscribers: number;
  /** Publications/s at the measured ceiling (absent when --rate was given). */
  ceilingRate: number | undefined;
  /** The publish rate measured at: half the ceiling, or --rate. */
  rate: number;
  ramp: StepResult[];
  measured: StepResult;
}

/** Delivery latency percentiles at a fixed open-loop rate: half the measured ceiling unless --rate is given. */
export async function runLatency(ctx: BenchContext): Promise<ScenarioOutcome<LatencyData>> {
  const o = ctx.options;
  const channel = `${o.channelPrefix}.latency`;
  const subscribers = o.latencySubscribers;
  const pool = await createSubscribers(o.nativeSubscriber, o.workers, { target: ctx.ws, auth: o.auth, concurrency: o.concurrency, spreadSources: o.spreadSources });
  const publisher = new HttpPublisher(
    { target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: o.batch },
    () => channel,
  );
  await publisher.start();
  const problems: string[] = [];
  try {
    await pool.add(channelClients(o, 0, subscribers, () => channel));
    await connectClients(ctx, pool, subscribers, problems);
    let ramp: StepResult[] = [];
    let ceilingRate: number | undefined;
    let rate = o.rate;
    if (rate === undefined) {
      ramp = await runRamp(ctx, publisher, pool, {
        startRate: Math.max(1, o.startRate / subscribers),
        factor: o.rampFactor,
        maxSteps: o.maxSteps,
        fanout: subscribers,
        title: `latency ceiling ${subscribers}`,
      });
      const top = ceilingStep(ramp);
      ceilingRate = top ? Math.max(top.publishedPerSecond, top.deliveriesPerSecond / subscribers) : 2;
      rate = roundRate(Math.max(1, ceilingRate / 2));
    }
    const measured = await runStep(ctx, publisher, pool, {
      rate,
      fanout: subscribers,
      warmupMs: 1000,
      measureMs: o.durationSeconds * 1000,
      title: `latency at ${formatRate(rate)}/s`,
    });
    const l = measured.deliveryLatency;
    ctx.progress.log(
      `  latency at ${formatRate(rate)} pub/s x ${subscribers}: p50 ${formatUs(l.p50)} p90 ${formatUs(l.p90)} ` +
        `p99 ${formatUs(l.p99)} p99.9 ${formatUs(l.p999)} max ${formatUs(l.max)}, server CPU ${fmtPct(measured.serverCpu)}`,
      o.quiet,
    );
    return {
      generatorCpu: measured.generatorCpu,
      problems: [...problems, ...(await closeProblems(pool))],
      data: { subscribers, ceilingRate: ceilingRate === undefined ? undefined : Math.round(ceilingRate), rate, ramp, measured },
    };
  } finally {
    publisher.stop();
    await pool.closeAll();
  }
}

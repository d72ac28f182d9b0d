import type { BenchContext } from '../context.js';
import { HttpPublisher } from '../http-publisher.js';
import { ceilingStep, runRamp, type StepResult } from '../load-step.js';
import type { ScenarioOutcome } from './scenario.js';

export interface ApiRun {
  history: boolean;
  channel: string;
  steps: StepResult[];
  /** The step with the most acknowledged publications per second. */
  ceiling: StepResult | undefined;
  /** The fastest step that did not saturate: its latency is the API's latency under load. */
  lastUnsaturated: StepResult | undefined;
}

export interface ApiData {
  batch: number;
  runs: ApiRun[];
}

/** HTTP publish throughput and latency to a channel without subscribers, with and/or without history. */
export async function runApi(ctx: BenchContext): Promise<ScenarioOutcome<ApiData>> {
  const o = ctx.options;
  const modes = o.history === 'both' ? [false, true] : [o.history === 'on'];
  const runs: ApiRun[] = [];
  let generatorCpu = 0;
  const problems: string[] = [];
  for (const history of modes) {
    const channel = history ? `${o.historyNamespace}:${o.channelPrefix}.api` : `${o.channelPrefix}.api`;
    const publisher = new HttpPublisher(
      { target: ctx.api, connections: o.apiConnections, window: o.apiWindow, payloadBytes: o.payloadBytes, batch: o.batch },
      () => channel,
    );
    await publisher.start();
    try {
      const steps = await runRamp(ctx, publisher, undefined, {
        startRate: Math.max(1, o.startRate / 10),
        factor: o.rampFactor,
        maxSteps: o.maxSteps,
        fanout: 0,
        title: `api history ${history ? 'on' : 'off'}`,
      });
      const ceiling = ceilingStep(steps);
      generatorCpu = Math.max(generatorCpu, ceiling?.generatorCpu ?? 0);
      const calm = steps.filter((s) => !s.saturated);
      runs.push({ history, channel, steps, ceiling, lastUnsaturated: calm[calm.length - 1] });
      if (publisher.lastError) problems.push(`history ${history ? 'on' : 'off'}: ${publisher.lastError}`);
    } finally {
      publisher.stop();
    }
  }
  return { generatorCpu, problems, data: { batch: o.batch, runs } };
}

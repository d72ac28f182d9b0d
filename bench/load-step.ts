import { sleep } from './clock.js';
import type { BenchContext } from './context.js';
import { roundSummary } from './context.js';
import { CpuMeter, generatorCpu as generatorCpuOf, isClientBound } from './cpu-meter.js';
import type { PercentileSummary } from './histogram.js';
import type { HttpPublisher } from './http-publisher.js';
import { formatRate, formatUs } from './progress.js';
import { RateController } from './rate-controller.js';
import { gcWindow, type GcWindow } from './server-probe.js';
import type { Subscribers } from './subscribers.js';

/** One measured window at a fixed offered publish rate. */
export interface StepResult {
  /** Publications per second the schedule asked for. */
  offeredRate: number;
  /** Publications per second the API acknowledged without error. */
  publishedPerSecond: number;
  requestsPerSecond: number;
  /** Deliveries per second counted by the subscribers, and how many the acknowledged publications imply. */
  deliveriesPerSecond: number;
  expectedDeliveriesPerSecond: number;
  /** Server CPU as a fraction of one core (NaN when unknown). */
  serverCpu: number;
  serverCpuUsPerDelivery: number;
  serverCpuUsPerRequest: number;
  generatorCpu: number;
  clientBound: boolean;
  /** API request latency and publication-to-delivery latency, µs. */
  apiLatency: PercentileSummary;
  deliveryLatency: PercentileSummary;
  apiErrors: number;
  /** Sends the schedule wanted while every API connection was at its window. */
  skipped: number;
  saturated: boolean;
  /** Why the step counts as saturated ('' when it does not). */
  saturation: string;
  /** crossnode: the publishing node and the Redis shards in the window. */
  cluster?: ClusterStep;
  /** Ringcast: protocol messages per socket write in the window (how well a flush joins deliveries). */
  messagesPerWrite?: number;
  /** The server's GC pauses in the window (from its metrics). */
  gc?: GcWindow;
}

/** Per-publication costs outside the subscriber node, measured over one step's window. */
export interface ClusterStep {
  publisherCpu: number;
  publisherCpuUsPerPublication: number;
  /** All shards together, fraction of one core. */
  redisCpu: number;
  redisCpuUsPerPublication: number;
  redisCommandsPerPublication: number;
}

export interface StepSpec {
  rate: number;
  /** Deliveries each publication should produce (subscribers per channel). */
  fanout: number;
  warmupMs: number;
  measureMs: number;
  /** Shown in the progress line. */
  title: string;
}

/**
 * Publishes at `spec.rate` (open loop: sends are scheduled by time, not by responses) for a warm-up and a
 * measurement window, then lets in-flight requests and deliveries settle. Saturation means the API fell
 * behind the schedule (>5 % short, or >5 % of sends skipped), deliveries fell behind the publications (>10 % short,
 * judged with 20+ publications in the window), or the median delivery took over 1 s. A fully busy server
 * core alone is not saturation: more load per event-loop turn coalesces more writes, so throughput may
 * still grow.
 */
export async function runStep(
  ctx: BenchContext,
  publisher: HttpPublisher,
  pool: Subscribers | undefined,
  spec: StepSpec,
): Promise<StepResult> {
  // spec.rate counts publications; each request carries `batch` of them.
  const requestRate = spec.rate / publisher.batch;
  const rc = new RateController({ rate: requestRate, startMs: performance.now(), maxBurst: Math.max(64, requestRate / 50) });
  let stopped = false;
  const loop = (): void => {
    if (stopped) return;
    const now = performance.now();
    const n = rc.due(now);
    if (n > 0) publisher.send(n);
    setTimeout(loop, Math.max(1, Math.min(50, rc.delayUntilNext(performance.now()))));
  };
  loop();
  await sleep(spec.warmupMs);

  publisher.latency.reset();
  publisher.takeWindow();
  const before = pool ? await pool.sample(true) : undefined;
  const deliveries0 = before?.deliveries ?? 0;
  // Scraped outside the CPU window, so the scrape's own cost is not counted.
  const counters0 = await ctx.probe.counters();
  const cpu0 = await ctx.probe.cpuSeconds();
  const cluster0 = ctx.cluster ? await ctx.cluster.sample() : undefined;
  const t0 = performance.now();
  const meter = new CpuMeter();
  let lastDeliveries = deliveries0;
  let lastTick = t0;
  const deadline = t0 + spec.measureMs;
  while (performance.now() < deadline) {
    await sleep(Math.min(1000, Math.max(1, deadline - performance.now())));
    const now = performance.now();
    const live = pool ? await pool.sample(false) : undefined;
    const d = live?.deliveries ?? 0;
    const rate = ((d - lastDeliveries) * 1000) / Math.max(1, now - lastTick);
    lastDeliveries = d;
    lastTick = now;
    ctx.progress.update(
      `${spec.title} | rate ${formatRate(spec.rate)}/s | conns ${live?.live ?? 0} | ${formatRate(rate)} msg/s | ` +
        `p99 ${formatUs((live ? live.latency : publisher.latency).valueAtQuantile(0.99))} | inflight ${publisher.inflight}`,
    );
  }
  const ownCpu = meter.lap();
  const cpu1 = await ctx.probe.cpuSeconds();
  const counters1 = await ctx.probe.counters();
  const cluster1 = ctx.cluster ? await ctx.cluster.sample() : undefined;
  const after = pool ? await pool.sample(false) : undefined;
  const seconds = (performance.now() - t0) / 1000;
  const window = publisher.takeWindow();
  const deliveries = (after?.deliveries ?? 0) - deliveries0;
  const generatorCpu = generatorCpuOf(ownCpu, (after?.helperCpuSeconds ?? 0) - (before?.helperCpuSeconds ?? 0), after?.helperProcesses ?? 0, seconds);
  const apiLatency = roundSummary(publisher.latency.summary());
  const deliveryLatency = roundSummary((after ? after.latency : publisher.latency).summary());
  stopped = true;

  const publishedPerSecond = (window.ok * (window.publications / Math.max(1, window.requests))) / seconds;
  const serverCpuSeconds = cpu1 - cpu0;
  const result: StepResult = {
    offeredRate: spec.rate,
    publishedPerSecond: Math.round(publishedPerSecond),
    requestsPerSecond: Math.round(window.ok / seconds),
    deliveriesPerSecond: Math.round(deliveries / seconds),
    expectedDeliveriesPerSecond: Math.round(publishedPerSecond * spec.fanout),
    serverCpu: round3(serverCpuSeconds / seconds),
    serverCpuUsPerDelivery: deliveries > 0 ? round3((serverCpuSeconds * 1e6) / deliveries) : Number.NaN,
    serverCpuUsPerRequest: window.ok > 0 ? round3((serverCpuSeconds * 1e6) / window.ok) : Number.NaN,
    generatorCpu: round3(generatorCpu),
    clientBound: isClientBound(generatorCpu),
    apiLatency,
    deliveryLatency,
    apiErrors: window.errors,
    skipped: window.skipped,
    saturated: false,
    saturation: '',
  };
  const { writes: writes0, gc: gc0 } = counters0;
  const { writes: writes1, gc: gc1 } = counters1;
  if (gc0 && gc1) result.gc = gcWindow(gc0, gc1, seconds);
  if (writes0 && writes1 && writes1.writes > writes0.writes) {
    result.messagesPerWrite = round3((writes1.messages - writes0.messages) / (writes1.writes - writes0.writes));
  }
  if (cluster0 && cluster1) {
    const published = publishedPerSecond * seconds;
    const per = (delta: number, scale: number): number => (published > 0 ? round3((delta * scale) / published) : Number.NaN);
    result.cluster = {
      publisherCpu: round3((cluster1.publisherCpuSeconds - cluster0.publisherCpuSeconds) / seconds),
      publisherCpuUsPerPublication: per(cluster1.publisherCpuSeconds - cluster0.publisherCpuSeconds, 1e6),
      redisCpu: round3((cluster1.redisCpuSeconds - cluster0.redisCpuSeconds) / seconds),
      redisCpuUsPerPublication: per(cluster1.redisCpuSeconds - cluster0.redisCpuSeconds, 1e6),
      redisCommandsPerPublication: per(cluster1.redisCommands - cluster0.redisCommands, 1),
    };
  }
  const reasons: string[] = [];
  // Skipped sends alone (every connection at its window) count only past 5 %: a short server pause fills
  // the windows without the server being saturated.
  if (publishedPerSecond < 0.95 * spec.rate || window.skipped > 0.05 * requestRate * seconds) {
    reasons.push(`API acknowledged ${formatRate(publishedPerSecond)}/s of ${formatRate(spec.rate)}/s offered`);
  }
  // With few publications in the window, deliveries of the last ones land after it: judge only with 20+.
  if (spec.fanout > 0 && window.ok * (window.publications / Math.max(1, window.requests)) >= 20 && deliveries < 0.9 * publishedPerSecond * spec.fanout * seconds) {
    reasons.push(`deliveries ${formatRate(result.deliveriesPerSecond)}/s behind ${formatRate(result.expectedDeliveriesPerSecond)}/s`);
  }
  if (spec.fanout > 0 && deliveryLatency.p50 > 1_000_000) reasons.push(`median delivery latency ${formatUs(deliveryLatency.p50)}`);
  if (window.errors > 0) reasons.push(`${window.errors} API errors (${publisher.lastError})`);
  result.saturated = reasons.length > 0;
  result.saturation = reasons.join('; ');

  // Settle: let responses and deliveries of this step arrive before the next one starts.
  await publisher.drain(10_000);
  if (pool && spec.fanout > 0) {
    // Deliveries still arriving from the step's last publications: wait until the count stops moving.
    const settleDeadline = performance.now() + 5000;
    let previous = (await pool.sample(false)).deliveries;
    while (performance.now() < settleDeadline) {
      await sleep(200);
      const now = (await pool.sample(false)).deliveries;
      if (now === previous) break;
      previous = now;
    }
  }
  return result;
}

function round3(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x;
}

/** Ramp: steps from `startRate` up by `factor` until a step saturates or `maxSteps` ran. */
export async function runRamp(
  ctx: BenchContext,
  publisher: HttpPublisher,
  pool: Subscribers | undefined,
  ramp: { startRate: number; factor: number; maxSteps: number; fanout: number; title: string; maxRate?: number },
): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  let rate = ramp.startRate;
  for (let i = 0; i < ramp.maxSteps; i++) {
    const step = await runStep(ctx, publisher, pool, {
      rate,
      fanout: ramp.fanout,
      warmupMs: Math.min(1000, ctx.options.stepSeconds * 250),
      measureMs: ctx.options.stepSeconds * 1000,
      title: `${ramp.title} step ${i + 1}`,
    });
    steps.push(step);
    ctx.progress.log(
      `  ${ramp.title} rate ${formatRate(rate)}/s: ${formatRate(step.deliveriesPerSecond)} deliveries/s, ` +
        `${formatRate(step.requestsPerSecond)} req/s, server CPU ${fmtPct(step.serverCpu)}, ` +
        `${step.serverCpuUsPerDelivery} µs/delivery, p99 ${formatUs(step.deliveryLatency.p99)}, gen CPU ${fmtPct(step.generatorCpu)}` +
        (step.saturated ? ` — saturated: ${step.saturation}` : ''),
      ctx.options.quiet,
    );
    if (step.saturated) break;
    rate = rate * ramp.factor;
    if (ramp.maxRate !== undefined && rate > ramp.maxRate) break;
  }
  return steps;
}

export function fmtPct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : 'n/a';
}

/** The step with the most deliveries per second (or requests, when nothing is delivered). */
export function ceilingStep(steps: readonly StepResult[]): StepResult | undefined {
  let best: StepResult | undefined;
  for (const s of steps) {
    const score = s.deliveriesPerSecond > 0 ? s.deliveriesPerSecond : s.publishedPerSecond;
    const bestScore = best ? (best.deliveriesPerSecond > 0 ? best.deliveriesPerSecond : best.publishedPerSecond) : -1;
    if (score > bestScore) best = s;
  }
  return best;
}

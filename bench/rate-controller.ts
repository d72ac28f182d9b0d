/**
 * Open-loop rate control: send i (0-based) is due at `start + (i + 1) / rate`, whatever happened to earlier sends.
 * The caller asks how many sends are due at a time it reads from its own clock and sends that many; a caller
 * that falls behind catches up in bursts (bounded by `maxBurst` per call) and the lag is reported, never
 * hidden by slowing the schedule down. The rate may change at any time; the schedule continues from the
 * moment of the change, so already-due sends stay due. No clock is read here: times are passed in (ms).
 */
export interface RateControllerOptions {
  /** Sends per second; 0 pauses. */
  rate: number;
  /** The schedule's start, in ms on the caller's clock. */
  startMs: number;
  /** Upper bound for one `due()` answer, so a stalled caller does not send a huge burst at once. */
  maxBurst?: number;
}

export class RateController {
  private rate: number;
  /** Time and cumulative target at the last rate change. */
  private anchorMs: number;
  private anchorTarget = 0;
  private issued = 0;
  private readonly maxBurst: number;

  constructor(options: RateControllerOptions) {
    if (!(options.rate >= 0) || !Number.isFinite(options.rate)) throw new RangeError(`rate must be >= 0, got ${options.rate}`);
    this.rate = options.rate;
    this.anchorMs = options.startMs;
    this.maxBurst = options.maxBurst ?? Number.POSITIVE_INFINITY;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Sends handed out so far. */
  get sent(): number {
    return this.issued;
  }

  /** How many sends the schedule wants by `nowMs` in total (fractional sends not yet due are excluded). */
  target(nowMs: number): number {
    const elapsed = Math.max(0, nowMs - this.anchorMs);
    return this.anchorTarget + Math.floor((elapsed * this.rate) / 1000 + 1e-9);
  }

  /** Sends due at `nowMs` that have not been handed out yet; counts them as issued. */
  due(nowMs: number): number {
    const owed = this.target(nowMs) - this.issued;
    if (owed <= 0) return 0;
    const n = Math.min(owed, this.maxBurst);
    this.issued += n;
    return n;
  }

  /** Sends due but not handed out (a lagging caller's backlog). */
  backlog(nowMs: number): number {
    return Math.max(0, this.target(nowMs) - this.issued);
  }

  /** When send number `index` (0-based) is scheduled, in ms on the caller's clock; Infinity when paused. */
  scheduledAt(index: number): number {
    if (index < this.anchorTarget) return this.anchorMs;
    if (this.rate === 0) return Number.POSITIVE_INFINITY;
    return this.anchorMs + ((index - this.anchorTarget + 1) * 1000) / this.rate;
  }

  /** How long a caller that is up to date may sleep before the next send is due (0 when one is due now). */
  delayUntilNext(nowMs: number): number {
    if (this.backlog(nowMs) > 0) return 0;
    const next = this.scheduledAt(this.issued);
    return Math.max(0, next - nowMs);
  }

  /** How late the oldest owed send is at `nowMs` (0 when none is owed). */
  lagMs(nowMs: number): number {
    if (this.backlog(nowMs) === 0) return 0;
    return Math.max(0, nowMs - this.scheduledAt(this.issued));
  }

  /** Changes the rate from `nowMs` on; sends already due stay due. */
  setRate(rate: number, nowMs: number): void {
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be >= 0, got ${rate}`);
    this.anchorTarget = this.target(nowMs);
    this.anchorMs = Math.max(nowMs, this.anchorMs);
    this.rate = rate;
  }

  /** Forgets owed sends (e.g. between ramp steps) so a new step does not start with a burst. */
  skipBacklog(nowMs: number): number {
    const skipped = this.backlog(nowMs);
    this.issued += skipped;
    return skipped;
  }
}

/** One step of a ramp: a rate held for a duration. */
export interface RampStep {
  rate: number;
  durationMs: number;
}

/** Geometric ramp from `from` to at most `to` (inclusive when reached), factor > 1, each step held `durationMs`. */
export function geometricRamp(from: number, to: number, factor: number, durationMs: number): RampStep[] {
  if (!(from > 0) || !(to >= from) || !(factor > 1)) {
    throw new RangeError(`ramp needs 0 < from <= to and factor > 1 (got ${from}, ${to}, ${factor})`);
  }
  const steps: RampStep[] = [];
  for (let rate = from; rate <= to * (1 + 1e-9); rate *= factor) steps.push({ rate: roundRate(rate), durationMs });
  return steps;
}

/** Rates above 100/s are rounded to 3 significant digits so result tables stay readable. */
export function roundRate(rate: number): number {
  if (rate < 100) return Math.round(rate * 100) / 100;
  const magnitude = 10 ** (Math.floor(Math.log10(rate)) - 2);
  return Math.round(rate / magnitude) * magnitude;
}

/**
 * An HDR-style log-linear histogram of non-negative integer values (microseconds in this harness).
 *
 * Values below 2^precisionBits are counted exactly; above, every power-of-two range [2^e, 2^(e+1)) is split
 * into 2^precisionBits equal sub-buckets, so a value is known to within a relative error of 2^-precisionBits
 * (0.1 % with the default 10 bits). Recording is O(1) with no allocation; histograms with the same precision
 * merge by adding counts, so worker processes can ship sparse snapshots to the coordinator.
 */
export interface HistogramSnapshot {
  precisionBits: number;
  /** Flat pairs: bucket index, count, bucket index, count, … (only non-empty buckets). */
  buckets: number[];
  count: number;
  min: number;
  max: number;
  sum: number;
}

export interface PercentileSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** The largest value tracked exactly enough; larger values are clamped to it (2^44 µs ≈ 203 days). */
const maxExponent = 44;

export class Histogram {
  readonly precisionBits: number;
  private readonly subCount: number;
  private readonly counts: Float64Array;
  private total = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;
  private sumValue = 0;

  constructor(precisionBits = 10) {
    if (!Number.isInteger(precisionBits) || precisionBits < 1 || precisionBits > 16) {
      throw new RangeError(`precisionBits must be an integer in 1..16, got ${precisionBits}`);
    }
    this.precisionBits = precisionBits;
    this.subCount = 2 ** precisionBits;
    this.counts = new Float64Array((maxExponent - precisionBits + 2) * this.subCount);
  }

  /** The largest value recorded without clamping. */
  get highestTrackable(): number {
    return 2 ** (maxExponent + 1) - 1;
  }

  get count(): number {
    return this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sumValue / this.total;
  }

  /** Bucket index of a value (non-negative integer; fractions are truncated, negatives count as 0). */
  indexOf(value: number): number {
    let v = value > 0 ? Math.floor(value) : 0;
    if (v > this.highestTrackable) v = this.highestTrackable;
    if (v < this.subCount) return v;
    const exponent = highestBit(v);
    const shift = exponent - this.precisionBits;
    const top = Math.floor(v / 2 ** shift);
    return shift * this.subCount + top;
  }

  /** The smallest value that falls into bucket `index`. */
  lowestInBucket(index: number): number {
    if (index < this.subCount) return index;
    const shift = Math.floor(index / this.subCount) - 1;
    const top = index - shift * this.subCount;
    return top * 2 ** shift;
  }

  /** The largest value that falls into bucket `index`. */
  highestInBucket(index: number): number {
    if (index < this.subCount) return index;
    const shift = Math.floor(index / this.subCount) - 1;
    return this.lowestInBucket(index) + 2 ** shift - 1;
  }

  record(value: number, times = 1): void {
    const v = value > 0 ? Math.floor(value) : 0;
    const index = this.indexOf(v);
    this.counts[index] = (this.counts[index] ?? 0) + times;
    this.total += times;
    this.sumValue += v * times;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = Math.min(v, this.highestTrackable);
  }

  /**
   * The value at quantile q (0..1): the highest value of the first bucket whose cumulative count reaches
   * q × count, never above the largest value recorded. 0 for an empty histogram.
   */
  valueAtQuantile(q: number): number {
    if (this.total === 0) return 0;
    const clamped = Math.min(Math.max(q, 0), 1);
    const target = Math.max(1, Math.ceil(clamped * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      seen += c;
      if (seen >= target) return Math.min(Math.max(this.highestInBucket(i), this.min), this.maxValue);
    }
    return this.maxValue;
  }

  summary(): PercentileSummary {
    return {
      count: this.total,
      min: this.min,
      mean: this.mean,
      p50: this.valueAtQuantile(0.5),
      p90: this.valueAtQuantile(0.9),
      p99: this.valueAtQuantile(0.99),
      p999: this.valueAtQuantile(0.999),
      max: this.maxValue,
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.minValue = Number.POSITIVE_INFINITY;
    this.maxValue = 0;
    this.sumValue = 0;
  }

  add(other: Histogram): void {
    this.merge(other.snapshot());
  }

  merge(snapshot: HistogramSnapshot): void {
    if (snapshot.precisionBits !== this.precisionBits) {
      throw new RangeError(`cannot merge precision ${snapshot.precisionBits} into ${this.precisionBits}`);
    }
    if (snapshot.count === 0) return;
    const b = snapshot.buckets;
    for (let i = 0; i + 1 < b.length; i += 2) {
      const index = b[i]!;
      this.counts[index] = (this.counts[index] ?? 0) + b[i + 1]!;
    }
    this.total += snapshot.count;
    this.sumValue += snapshot.sum;
    if (snapshot.min < this.minValue) this.minValue = snapshot.min;
    if (snapshot.max > this.maxValue) this.maxValue = snapshot.max;
  }

  snapshot(): HistogramSnapshot {
    const buckets: number[] = [];
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c !== 0) buckets.push(i, c);
    }
    return { precisionBits: this.precisionBits, buckets, count: this.total, min: this.min, max: this.maxValue, sum: this.sumValue };
  }

  static fromSnapshot(snapshot: HistogramSnapshot): Histogram {
    const h = new Histogram(snapshot.precisionBits);
    h.merge(snapshot);
    return h;
  }
}

/** floor(log2(v)) for a positive integer up to 2^53. */
function highestBit(v: number): number {
  if (v < 0x1_0000_0000) return 31 - Math.clz32(v);
  return 32 + (31 - Math.clz32(Math.floor(v / 0x1_0000_0000)));
}

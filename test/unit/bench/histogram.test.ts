import { describe, expect, it } from 'vitest';
import { Histogram } from '../../../bench/histogram.js';

describe('Histogram', () => {
  it('counts small values exactly', () => {
    const h = new Histogram(10);
    for (let v = 0; v < 1024; v++) h.record(v);
    expect(h.count).toBe(1024);
    expect(h.min).toBe(0);
    expect(h.max).toBe(1023);
    expect(h.valueAtQuantile(0.5)).toBe(511);
    expect(h.valueAtQuantile(1)).toBe(1023);
    expect(h.mean).toBeCloseTo(511.5, 10);
  });

  it('keeps every value within the precision bound across magnitudes', () => {
    const h = new Histogram(7);
    for (const v of [128, 129, 1000, 4095, 65_537, 1_000_000, 123_456_789, 2 ** 40 + 12_345]) {
      const i = h.indexOf(v);
      const low = h.lowestInBucket(i);
      const high = h.highestInBucket(i);
      expect(low).toBeLessThanOrEqual(v);
      expect(high).toBeGreaterThanOrEqual(v);
      expect((high - low + 1) / low).toBeLessThanOrEqual(1 / 128);
    }
  });

  it('maps buckets contiguously: the next bucket starts right after the previous one ends', () => {
    const h = new Histogram(4);
    for (let i = 0; i < 400; i++) expect(h.lowestInBucket(i + 1)).toBe(h.highestInBucket(i) + 1);
  });

  it('answers percentiles of a skewed distribution within the relative error', () => {
    const h = new Histogram(10);
    for (let i = 0; i < 9900; i++) h.record(1000);
    for (let i = 0; i < 90; i++) h.record(50_000);
    for (let i = 0; i < 10; i++) h.record(2_000_000);
    expect(h.valueAtQuantile(0.5)).toBe(1000);
    expect(h.valueAtQuantile(0.99)).toBe(1000);
    expect(Math.abs(h.valueAtQuantile(0.995) - 50_000) / 50_000).toBeLessThan(0.001);
    expect(h.valueAtQuantile(0.9999)).toBe(2_000_000);
    const s = h.summary();
    expect(s.p999).toBe(h.valueAtQuantile(0.999));
    expect(s.max).toBe(2_000_000);
  });

  it('never reports a percentile above the maximum or below the minimum recorded', () => {
    const h = new Histogram(3);
    h.record(1_000_001);
    expect(h.valueAtQuantile(0.5)).toBe(1_000_001);
    expect(h.valueAtQuantile(0)).toBe(1_000_001);
  });

  it('clamps negatives to zero and truncates fractions', () => {
    const h = new Histogram();
    h.record(-5);
    h.record(2.9);
    expect(h.min).toBe(0);
    expect(h.max).toBe(2);
  });

  it('clamps values beyond the trackable range instead of failing', () => {
    const h = new Histogram(8);
    h.record(2 ** 50);
    expect(h.max).toBe(h.highestTrackable);
    expect(h.valueAtQuantile(1)).toBe(h.highestTrackable);
  });

  it('records with a repeat count', () => {
    const h = new Histogram();
    h.record(7, 5);
    expect(h.count).toBe(5);
    expect(h.mean).toBe(7);
  });

  it('merges snapshots into the same counts as recording everything in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 5000; i++) {
      const v = (i * 7919) % 100_000;
      (i % 2 === 0 ? a : b).record(v);
      all.record(v);
    }
    const merged = Histogram.fromSnapshot(a.snapshot());
    merged.merge(JSON.parse(JSON.stringify(b.snapshot())));
    expect(merged.summary()).toEqual(all.summary());
  });

  it('refuses to merge histograms of different precision', () => {
    expect(() => new Histogram(8).merge(new Histogram(10).snapshot())).toThrow(RangeError);
  });

  it('resets to empty', () => {
    const h = new Histogram();
    h.record(10);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.valueAtQuantile(0.99)).toBe(0);
    expect(h.min).toBe(0);
  });

  it('rejects a precision outside 1..16', () => {
    expect(() => new Histogram(0)).toThrow(RangeError);
    expect(() => new Histogram(17)).toThrow(RangeError);
  });
});

package main

import "math/bits"

// The same log-linear bucket layout as bench/histogram.ts (precision 10 bits, values up to 2^45-1), so the
// TypeScript harness merges these counts into its own histograms unchanged.
const (
	precisionBits = 10
	subCount      = 1 << precisionBits
	maxExponent   = 44
	bucketCount   = (maxExponent - precisionBits + 2) * subCount
	highest       = (uint64(1) << (maxExponent + 1)) - 1
)

type histogram struct {
	counts []uint64
	count  uint64
	min    uint64
	max    uint64
	sum    float64
}

func newHistogram() *histogram {
	return &histogram{counts: make([]uint64, bucketCount), min: ^uint64(0)}
}

func bucketIndex(v uint64) int {
	if v > highest {
		v = highest
	}
	if v < subCount {
		return int(v)
	}
	exponent := 63 - bits.LeadingZeros64(v)
	shift := exponent - precisionBits
	return shift*subCount + int(v>>uint(shift))
}

func (h *histogram) record(v int64) {
	if v < 0 {
		v = 0
	}
	u := uint64(v)
	if u > highest {
		u = highest
	}
	h.counts[bucketIndex(u)]++
	h.count++
	h.sum += float64(u)
	if u < h.min {
		h.min = u
	}
	if u > h.max {
		h.max = u
	}
}

// snapshot returns the non-empty buckets as flat index,count pairs, like HistogramSnapshot in TypeScript.
func (h *histogram) snapshot() map[string]any {
	pairs := make([]uint64, 0, 64)
	for i, c := range h.counts {
		if c != 0 {
			pairs = append(pairs, uint64(i), c)
		}
	}
	min := h.min
	if h.count == 0 {
		min = 0
	}
	return map[string]any{"precisionBits": precisionBits, "buckets": pairs, "count": h.count, "min": min, "max": h.max, "sum": h.sum}
}

func (h *histogram) reset() {
	clear(h.counts)
	h.count, h.max, h.sum = 0, 0, 0
	h.min = ^uint64(0)
}

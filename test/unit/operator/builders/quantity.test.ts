import { describe, expect, it } from 'vitest';

import { canonicalQuantity } from '../../../../operator/builders/quantity.js';

describe('canonicalQuantity', () => {
  it('writes whole numbers as the API server stores them', () => {
    expect([1, 999, 1000, 1500, 5000, 10_000, 1_000_000, 2_500_000].map(canonicalQuantity)).toEqual([
      '1', '999', '1k', '1500', '5k', '10k', '1M', '2500k',
    ]);
  });
});

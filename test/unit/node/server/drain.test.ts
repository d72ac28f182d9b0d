import { describe, expect, it } from 'vitest';

import { drainOverWindow } from '../../../../node/server/drain.js';

describe('drainOverWindow', () => {
  it('closes every client once, spread over the window rather than at once', async () => {
    const clients = Array.from({ length: 200 }, (_, i) => i);
    const closedAt: number[] = [];
    const started = Date.now();
    await drainOverWindow(clients, 400, () => closedAt.push(Date.now() - started), { tickMs: 5 });
    expect(closedAt).toHaveLength(200);
    const firstHalf = closedAt.filter((t) => t < 200).length;
    // Uniform over 400 ms: about half in each half of the window (wide bounds: a random schedule).
    expect(firstHalf).toBeGreaterThan(60);
    expect(firstHalf).toBeLessThan(140);
    expect(Math.max(...closedAt)).toBeGreaterThanOrEqual(300);
  });

  it('closes everyone at once without a window', async () => {
    const closed: number[] = [];
    await drainOverWindow([1, 2, 3], 0, (c) => closed.push(c));
    expect(closed).toEqual([1, 2, 3]);
  });
});

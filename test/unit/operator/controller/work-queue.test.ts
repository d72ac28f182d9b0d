import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { WorkQueue } from '../../../../operator/controller/work-queue.js';

const logger = pino({ level: 'silent' });
const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('WorkQueue', () => {
  it('handles a key once however often it is added, and again if added while being handled', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const queue = new WorkQueue({
      logger,
      process: async (key) => {
        seen.push(key);
        if (seen.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return {};
      },
    });
    queue.add('a');
    queue.add('a');
    queue.start();
    await until(() => seen.length === 1);
    queue.add('a');
    queue.add('a');
    release();
    await until(() => seen.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['a', 'a']);
    await queue.stop();
  });

  it('retries a failing key with growing delays and forgets them after a success', async () => {
    const attempts: number[] = [];
    const queue = new WorkQueue({
      logger,
      backoff: { baseMs: 20, maxMs: 1_000 },
      random: () => 0.5,
      process: async () => {
        attempts.push(Date.now());
        if (attempts.length < 4) throw new Error('not yet');
        return {};
      },
    });
    queue.start();
    queue.add('k');
    await until(() => attempts.length === 4);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    await queue.stop();
  });
});

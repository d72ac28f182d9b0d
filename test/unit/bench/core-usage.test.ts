import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuBusySeconds, pinnedCpu } from '../../../bench/core-usage.js';

const stat = [
  'cpu  300 0 100 5000 10 0 5 0 0 0',
  'cpu0 200 10 50 2000 5 0 3 2 0 0',
  'cpu1 100 0 50 3000 5 0 2 0 0 0',
  'intr 1',
].join('\n');

describe('cpuBusySeconds', () => {
  it('sums user, nice, system, irq, softirq and steal of one CPU (ticks of 10 ms)', () => {
    expect(cpuBusySeconds(0, stat)).toBeCloseTo((200 + 10 + 50 + 0 + 3 + 2) / 100);
    expect(cpuBusySeconds(1, stat)).toBeCloseTo(1.52);
    // "cpu1" must not match "cpu10"-style prefixes, nor the all-CPU line.
    expect(cpuBusySeconds(7, stat)).toBeNaN();
  });

  it('finds the CPU a process is pinned to, or none', async () => {
    expect(pinnedCpu(999_999_999)).toBeUndefined();
    const child = spawn('taskset', ['-c', '0', 'sleep', '30'], { stdio: 'ignore' });
    try {
      // taskset sets the affinity, then execs sleep under the same pid.
      const deadline = Date.now() + 10_000;
      while (pinnedCpu(child.pid!) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(pinnedCpu(child.pid!)).toBe(0);
    } finally {
      child.kill();
    }
  });
});

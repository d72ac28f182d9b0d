/**
 * The load generator's own CPU use over a window, as a fraction of one core (process.cpuUsage over wall time).
 * Above `clientBoundThreshold` the generator, not the server, may be what limits the numbers.
 */
export const clientBoundThreshold = 0.7;

export class CpuMeter {
  private cpu = process.cpuUsage();
  private wallMs = performance.now();

  /** CPU fraction since the last `lap()` (or construction), then starts a new window. */
  lap(): number {
    const cpu = process.cpuUsage();
    const wallMs = performance.now();
    const usedUs = cpu.user - this.cpu.user + (cpu.system - this.cpu.system);
    const fraction = wallMs > this.wallMs ? usedUs / 1000 / (wallMs - this.wallMs) : 0;
    this.cpu = cpu;
    this.wallMs = wallMs;
    return fraction;
  }
}

export function isClientBound(cpuFraction: number): boolean {
  return cpuFraction > clientBoundThreshold;
}

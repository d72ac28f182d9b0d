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

/**
 * The generator's CPU over a window of `seconds`: this process's share plus helper processes' CPU seconds.
 * The busiest generator process decides: one helper shares this process's core and adds to it; several
 * workers (on other cores) are judged by their average.
 */
export function generatorCpu(ownCpu: number, helperCpuSeconds: number, helpers: number, seconds: number): number {
  const helperCpu = seconds > 0 ? helperCpuSeconds / seconds : 0;
  return helpers <= 1 ? ownCpu + helperCpu : Math.max(ownCpu, helperCpu / helpers);
}

export function isClientBound(cpuFraction: number): boolean {
  return cpuFraction > clientBoundThreshold;
}

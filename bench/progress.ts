/** A one-line live status on a terminal (stderr), rewritten in place; silent when stderr is not a TTY. */
export class Progress {
  private readonly tty: boolean;
  private shown = false;

  constructor(enabled: boolean) {
    this.tty = enabled && process.stderr.isTTY === true;
  }

  update(text: string): void {
    if (!this.tty) return;
    const width = process.stderr.columns || 120;
    process.stderr.write('\r' + text.slice(0, width - 1).padEnd(width - 1));
    this.shown = true;
  }

  /** Ends the live line and prints a permanent one (also when not on a TTY, unless quiet). */
  log(text: string, quiet = false): void {
    this.clear();
    if (!quiet) process.stderr.write(text + '\n');
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r' + ' '.repeat((process.stderr.columns || 120) - 1) + '\r');
    this.shown = false;
  }
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return (perSecond / 1e6).toFixed(2) + 'M';
  if (perSecond >= 1e3) return (perSecond / 1e3).toFixed(1) + 'k';
  return perSecond.toFixed(0);
}

export function formatUs(us: number): string {
  if (us >= 1e6) return (us / 1e6).toFixed(2) + 's';
  if (us >= 1e3) return (us / 1e3).toFixed(2) + 'ms';
  return us.toFixed(0) + 'µs';
}

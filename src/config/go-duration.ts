/**
 * Go's duration syntax (time.ParseDuration), which Centrifugo config files use: a sequence of decimal numbers,
 * each with an optional fraction and a unit — "25s", "1m30s", "500ms", "1.5h", "-2s"; "0" alone is allowed.
 * Units: ns, us (µs, μs), ms, s, m, h. There is no day unit.
 */
const unitNs: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const component = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;

/** Parses a Go duration string into nanoseconds; returns null when the text is not one. */
export function parseGoDuration(text: string): number | null {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  while (rest !== '') {
    const match = component.exec(rest);
    if (!match) return null;
    const whole = match[1] ?? '';
    const fraction = match[2] ?? '';
    if (whole === '' && fraction === '') return null;
    const unit = unitNs[match[3] ?? ''];
    if (unit === undefined) return null;
    total += Number(`${whole || '0'}.${fraction || '0'}`) * unit;
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** Nanoseconds to whole milliseconds, rounding away from zero so a tiny non-zero duration never becomes 0. */
export function nsToMs(ns: number): number {
  const ms = ns / 1e6;
  return ms >= 0 ? Math.ceil(ms) : Math.floor(ms);
}

/** A millisecond count back in Go's syntax, for messages and generated files ("1h0m0s" style is not needed). */
export function formatMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Spreads the disconnects of a stopping node over a window instead of closing every client at once: each client
 * gets a random moment in the window (uniform, so reconnects arrive at the other nodes at an even rate) and one
 * ticking timer closes those whose moment has come. Resolves when every client is closed.
 */
export function drainOverWindow<T>(
  clients: readonly T[],
  windowMs: number,
  close: (client: T) => void,
  options: { random?: () => number; tickMs?: number } = {},
): Promise<void> {
  const random = options.random ?? Math.random;
  if (windowMs <= 0 || clients.length === 0) {
    for (const client of clients) close(client);
    return Promise.resolve();
  }
  const schedule = clients.map((client) => ({ client, at: random() * windowMs })).sort((a, b) => a.at - b.at);
  const started = Date.now();
  const tickMs = options.tickMs ?? 20;
  let next = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const elapsed = Date.now() - started;
      while (next < schedule.length && schedule[next]!.at <= elapsed) close(schedule[next++]!.client);
      if (next >= schedule.length) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, tickMs);
    tick();
  });
}

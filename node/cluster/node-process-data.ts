// A node's process figures (CPU and resident memory), carried to the other nodes in the node info heartbeat's
// `data` field as JSON so `info` (and the admin UI) shows them for every node, not only the one answering.

export interface ProcessFigures {
  /** Average CPU use since start, in percent of one core. */
  cpu: number;
  /** Resident set size in bytes. */
  rss: number;
}

/** This process's figures now; `uptimeMs` is how long the node has run. */
export function processFigures(uptimeMs: number): ProcessFigures {
  const usage = process.cpuUsage();
  const uptimeSeconds = Math.max(1, uptimeMs / 1000);
  return {
    cpu: Math.round(((usage.user + usage.system) / 1e6 / uptimeSeconds) * 10000) / 100,
    rss: process.memoryUsage.rss(),
  };
}

export function encodeProcessData(figures: ProcessFigures): Uint8Array {
  return Buffer.from(JSON.stringify({ process: figures }));
}

/** The figures another node sent, or undefined when its data is absent or not ours (a Centrifugo node's). */
export function decodeProcessData(data: Uint8Array | undefined): ProcessFigures | undefined {
  if (!data || data.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  const figures = (parsed as { process?: { cpu?: unknown; rss?: unknown } } | null)?.process;
  if (typeof figures?.cpu !== 'number' || typeof figures.rss !== 'number') return undefined;
  if (!Number.isFinite(figures.cpu) || !Number.isFinite(figures.rss)) return undefined;
  return { cpu: figures.cpu, rss: figures.rss };
}

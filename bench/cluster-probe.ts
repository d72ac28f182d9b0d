import { connect } from 'node:net';
import { readProcCpuSeconds } from './server-probe.js';

/** What a cross-node step reads besides the subscriber node: the publishing node and the Redis shards. */
export interface ClusterSample {
  publisherCpuSeconds: number;
  redisCpuSeconds: number;
  redisCommands: number;
}

/** `total_commands_processed` of one Redis (INFO stats over a short-lived connection). */
export function redisCommandsProcessed(address: string): Promise<number> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    let text = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`INFO from ${address} timed out`)));
    socket.once('error', reject);
    socket.on('connect', () => socket.write('INFO stats\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const m = /total_commands_processed:(\d+)/.exec(text);
      if (m && text.includes('\r\n\r\n')) {
        socket.end();
        resolve(Number(m[1]));
      }
    });
  });
}

/** Samples the publishing node's CPU and the shards' CPU and command counts (NaN parts when unknown). */
export class ClusterProbe {
  constructor(
    private readonly publisherPid: number | undefined,
    private readonly redisPids: readonly number[],
    private readonly redisAddresses: readonly string[],
  ) {}

  async sample(): Promise<ClusterSample> {
    const cpu = (pid: number): number => {
      try {
        return readProcCpuSeconds(pid);
      } catch {
        return Number.NaN;
      }
    };
    const commands = await Promise.all(this.redisAddresses.map((a) => redisCommandsProcessed(a).catch(() => Number.NaN)));
    return {
      publisherCpuSeconds: this.publisherPid === undefined ? Number.NaN : cpu(this.publisherPid),
      redisCpuSeconds: this.redisPids.length === 0 ? Number.NaN : this.redisPids.reduce((sum, pid) => sum + cpu(pid), 0),
      redisCommands: commands.length === 0 ? Number.NaN : commands.reduce((a, b) => a + b, 0),
    };
  }
}

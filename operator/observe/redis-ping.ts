import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * Whether a Redis server answers at `address` (redis:// or rediss://): a PING gets a RESP reply. "-NOAUTH" counts
 * as an answer (the server is there; the nodes bring the password).
 */
export function pingRedis(address: string, timeoutMs: number): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return Promise.resolve(false);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 6379);
  return new Promise((resolve) => {
    let settled = false;
    const socket: Socket =
      url.protocol === 'rediss:'
        ? tlsConnect({ host, port, servername: host, rejectUnauthorized: false })
        : tcpConnect({ host, port });
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (buffered.includes('\r\n')) finish(buffered.startsWith('+') || buffered.startsWith('-'));
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

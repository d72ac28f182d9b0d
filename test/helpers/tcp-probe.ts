import { connect } from 'node:net';

/**
 * Connects to a loopback port, optionally sends `send`, and reads until `verdict` decides (true or false) from
 * what arrived so far; false when nothing decides within 500 ms or the connection fails. The readiness check of
 * the test servers (redis-server, nats-server, tarantool), each telling its own greeting apart.
 */
export function probeTcp(port: number, verdict: (data: string) => boolean | undefined, send?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    if (send !== undefined) socket.on('connect', () => socket.write(send));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const decided = verdict(data);
      if (decided !== undefined) done(decided);
    });
  });
}

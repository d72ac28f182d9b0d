// A loopback TCP proxy for fault injection between a client and a server: it can freeze the connections it
// holds (bytes stop flowing both ways and nothing is closed: a silent peer), or cut them (reset).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Stops forwarding on every open connection, silently; new connections still work. */
  freezeOpen(): void;
  /** Destroys every open connection. */
  cutOpen(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => {
        if (!pair.frozen) to.write(chunk);
      });
      from.on('end', () => {
        if (!pair.frozen) to.end();
      });
      from.on('error', () => {
        if (!pair.frozen) to.destroy();
      });
      from.on('close', () => {
        if (!pair.frozen) to.destroy();
        pairs.delete(pair);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    freezeOpen() {
      for (const pair of pairs) pair.frozen = true;
    },
    cutOpen() {
      for (const pair of pairs) {
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

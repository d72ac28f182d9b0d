// A stand-in for a ClusterIP Service on loopback: each new TCP connection goes to one of the endpoints `pick`
// returns (round robin), as kube-proxy sends it to a ready pod; connections already open stay where they are.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ServiceProxy {
  readonly port: number;
  close(): Promise<void>;
}

export async function startServiceProxy(endpoints: () => Endpoint[]): Promise<ServiceProxy> {
  const sockets = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((client) => {
    const candidates = endpoints();
    if (candidates.length === 0) {
      client.destroy();
      return;
    }
    const target = candidates[next++ % candidates.length]!;
    const upstream = connect({ host: target.host, port: target.port });
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

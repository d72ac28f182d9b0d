import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Null when healthy, otherwise why not (the process should be restarted). */
  unhealthy(): string | null;
  /** Null when ready, otherwise why not (caches not synced yet). */
  notReady(): string | null;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** `/healthz` (liveness), `/readyz` (readiness) and `/metrics` (Prometheus) of the operator process. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed\n');
    if (path === '/healthz' || path === '/readyz') {
      const problem = path === '/healthz' ? options.unhealthy() : options.notReady();
      return problem === null ? answer(200, 'ok\n') : answer(503, `${problem}\n`);
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => answer(200, text, options.registry.contentType),
        () => answer(500, 'metrics collection failed\n'),
      );
      return;
    }
    answer(404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

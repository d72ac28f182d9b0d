// A single GET against a health endpoint (etcd /health, kube-apiserver /readyz, ...), over HTTP or
// HTTPS with optional client certificate. Used inside pollUntil; never retries by itself.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ProbeTls {
  /** CA certificate file that signed the server certificate. */
  readonly caFile: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface ProbeResult {
  readonly status: number;
  readonly body: string;
}

export function probeHttp(url: string, tls?: ProbeTls, timeoutMs = 2_000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const callback = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(
            target,
            {
              method: 'GET',
              timeout: timeoutMs,
              ca: tls ? readFileSync(tls.caFile) : undefined,
              cert: tls?.certFile ? readFileSync(tls.certFile) : undefined,
              key: tls?.keyFile ? readFileSync(tls.keyFile) : undefined,
            },
            callback,
          )
        : httpRequest(target, { method: 'GET', timeout: timeoutMs }, callback);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

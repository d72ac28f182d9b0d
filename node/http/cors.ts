import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { originAllowed } from '../transport/origin-check.js';

/** The request headers CORS decisions need, copied while the uWS request is valid. */
export interface CorsRequest {
  origin: string;
  host: string;
}

export function readCors(req: HttpRequest): CorsRequest {
  return { origin: req.getHeader('origin'), host: req.getHeader('host') };
}

/** The same origin rule as the WebSocket transport (`client.allowed_origins`). */
export function corsAllowed(cors: CorsRequest, allowedOrigins: readonly string[]): boolean {
  return originAllowed(cors.origin, cors.host, allowedOrigins);
}

/** Headers letting a browser page of an allowed origin read the response. */
export function corsHeaders(cors: CorsRequest): Record<string, string> {
  if (cors.origin === '') return {};
  return { 'Access-Control-Allow-Origin': cors.origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
}

/** Answers CORS preflights (`OPTIONS`) for an HTTP transport endpoint. */
export function mountPreflight(app: TemplatedApp, path: string, methods: string, allowedOrigins: readonly string[]): void {
  app.options(path, (res: HttpResponse, req: HttpRequest) => {
    const cors = readCors(req);
    const requested = req.getHeader('access-control-request-headers');
    if (!corsAllowed(cors, allowedOrigins)) {
      res.cork(() => res.writeStatus('403 Forbidden').end('origin not allowed'));
      return;
    }
    res.cork(() => {
      res.writeStatus('200 OK');
      for (const [name, value] of Object.entries(corsHeaders(cors))) res.writeHeader(name, value);
      res.writeHeader('Access-Control-Allow-Methods', methods);
      if (requested !== '') res.writeHeader('Access-Control-Allow-Headers', requested);
      res.writeHeader('Access-Control-Max-Age', '600');
      res.end();
    });
  });
}

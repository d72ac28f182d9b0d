import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import {
  decodeJsonEmulationRequest,
  decodeProtobufEmulationRequest,
  type EmulationRequest,
} from '../../src/protocol/emulation-request.js';
import type { NodeContext } from '../server/node-context.js';
import type { SessionLocator } from '../transport/session-locator.js';
import { corsAllowed, corsHeaders, mountPreflight, readCors } from './cors.js';
import { readBody } from './read-body.js';
import { respond, type ResponseGuard } from './respond.js';

export interface EmulationRouteOptions {
  path: string;
  /** `emulation.max_request_body_size`. */
  bodyLimit: number;
  locator: SessionLocator;
}

/**
 * `POST /emulation`: commands for an HTTP-streaming/SSE session, as `{"node","session","data"}` (JSON) or a
 * protobuf EmulationRequest (`Content-Type: application/octet-stream`). The answers follow Centrifugo and what
 * centrifuge-js expects: 204 once the commands are handed over (also when the node is known but the session
 * is gone: its stream has ended or is ending); 404 when the node is unknown (the client then reconnects);
 * 400 for a body that does not parse; 413 past the body limit.
 */
export function mountEmulation(app: TemplatedApp, ctx: NodeContext, options: EmulationRouteOptions): void {
  mountPreflight(app, options.path, 'POST, OPTIONS', ctx.client.allowedOrigins);
  app.post(options.path, (res: HttpResponse, req: HttpRequest) => {
    const cors = readCors(req);
    const protobuf = req.getHeader('content-type').startsWith('application/octet-stream');
    const guard: ResponseGuard = { aborted: false };
    const headers = corsHeaders(cors);
    const answer = (status: string, body = ''): void => respond(res, guard, status, body, 'text/plain; charset=utf-8', headers);
    const allowed = corsAllowed(cors, ctx.client.allowedOrigins);
    readBody(res, options.bodyLimit, guard, (read) => {
      if (!read.ok) {
        if (read.reason === 'aborted') guard.aborted = true;
        else answer('413 Payload Too Large', 'emulation request too large');
        return;
      }
      if (!allowed) {
        ctx.logger.info({ origin: cors.origin, transport: 'emulation' }, 'origin not allowed');
        return respond(res, guard, '403 Forbidden', 'origin not allowed', 'text/plain; charset=utf-8');
      }
      let request: EmulationRequest;
      try {
        request = protobuf ? decodeProtobufEmulationRequest(read.body) : decodeJsonEmulationRequest(read.body);
      } catch (err) {
        ctx.logger.info({ err: (err as Error).message }, 'malformed emulation request');
        return answer('400 Bad Request', (err as Error).message);
      }
      options.locator.deliver(request, protobuf ? 'protobuf' : 'json').then(
        (delivery) => answer(delivery === 'unknown_node' ? '404 Not Found' : '204 No Content'),
        (err: unknown) => {
          ctx.logger.error({ err, node: request.node }, 'emulation request failed');
          answer('500 Internal Server Error', 'emulation request failed');
        },
      );
    });
  });
  app.any(options.path, (res) => {
    res.cork(() => res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'POST, OPTIONS').end('use POST'));
  });
}

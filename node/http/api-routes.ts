import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { NodeContext } from '../server/node-context.js';
import { isKnownMethod, runApiMethod } from './api/api-dispatch.js';
import type { ApiOutcome } from './api/api-types.js';
import { readBody } from './read-body.js';
import { respond, type ResponseGuard } from './respond.js';

export interface ApiRouteOptions {
  prefix: string;
  key: string;
  insecure: boolean;
  bodyLimit: number;
  /** Centrifugo's "transport" error mode as the default (also chosen per request by header). */
  transportErrorMode: boolean;
}

// In transport error mode an error becomes an HTTP status instead of a 200 with an `error` field.
const transportStatus: Record<number, string> = {
  100: '500 Internal Server Error',
  101: '401 Unauthorized',
  103: '403 Forbidden',
  104: '404 Not Found',
  111: '429 Too Many Requests',
};

function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req: HttpRequest, options: ApiRouteOptions): boolean {
  if (options.insecure) return true;
  if (options.key === '') return false;
  const header = req.getHeader('x-api-key');
  if (header !== '') return keyMatches(header, options.key);
  const auth = req.getHeader('authorization');
  const match = /^apikey\s+(.+)$/i.exec(auth);
  return match !== null && keyMatches(match[1]!.trim(), options.key);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: body.length === 0 ? {} : JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** Bytes fields hold JSON text and are embedded as JSON; bytes that are not JSON fall back to base64. */
function rawJsonValue(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return Buffer.from(bytes).toString('base64');
  }
}

function encodeOutcome(outcome: ApiOutcome): string {
  // The replacer sees Buffers after their toJSON(), so it looks at the holder's original value.
  return JSON.stringify(outcome, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? rawJsonValue(original) : value;
  });
}

/** Serves Centrifugo's HTTP server API: `POST <prefix>/<method>` and the legacy `POST <prefix>`. */
export function mountApi(app: TemplatedApp, ctx: NodeContext, options: ApiRouteOptions): void {
  if (!options.insecure && options.key === '') {
    ctx.logger.warn('http_api.key is empty and http_api.insecure is off: every server API request is refused');
  }

  app.post(options.prefix + '/*', (res: HttpResponse, req: HttpRequest) => {
    const method = req.getUrl().slice(options.prefix.length + 1);
    const transportMode = options.transportErrorMode || req.getHeader('x-centrifugo-error-mode') === 'transport';
    const guard: ResponseGuard = { aborted: false };
    if (!authorized(req, options)) {
      readBody(res, options.bodyLimit, () => respond(res, guard, '401 Unauthorized', '{"error":{"code":101,"message":"unauthorized"}}'));
      return;
    }
    readBody(res, options.bodyLimit, (read) => {
      if (!read.ok) {
        if (read.reason === 'aborted') guard.aborted = true;
        else respond(res, guard, '413 Payload Too Large', '{"error":{"code":107,"message":"request body too large"}}');
        return;
      }
      if (!isKnownMethod(method)) {
        const status = transportMode ? '404 Not Found' : '200 OK';
        respond(res, guard, status, '{"error":{"code":104,"message":"method not found"}}');
        return;
      }
      const parsed = parseJson(read.body);
      if (!parsed.ok) {
        respond(res, guard, '400 Bad Request', '{"error":{"code":107,"message":"bad request: body is not valid JSON"}}');
        return;
      }
      void runApiMethod(ctx, method, parsed.value).then((outcome) => {
        const batchLike = method === 'batch' || method === 'broadcast';
        const status =
          transportMode && 'error' in outcome && !batchLike
            ? (transportStatus[outcome.error.code] ?? '400 Bad Request')
            : '200 OK';
        const body = transportMode && 'error' in outcome && !batchLike ? JSON.stringify(outcome.error) : encodeOutcome(outcome);
        respond(res, guard, status, body);
      });
    });
  });

  // Legacy API: one `{"method": …, "params": …}` command per line, one reply per line.
  app.post(options.prefix, (res: HttpResponse, req: HttpRequest) => {
    const guard: ResponseGuard = { aborted: false };
    const ok = authorized(req, options);
    readBody(res, options.bodyLimit, (read) => {
      if (!read.ok) {
        if (read.reason === 'aborted') guard.aborted = true;
        else respond(res, guard, '413 Payload Too Large', '{"error":{"code":107,"message":"request body too large"}}');
        return;
      }
      if (!ok) return respond(res, guard, '401 Unauthorized', '{"error":{"code":101,"message":"unauthorized"}}');
      const lines = read.body.toString('utf8').split('\n').filter((line) => line.trim() !== '');
      void runLegacyLines(ctx, lines).then((replies) => respond(res, guard, '200 OK', replies.join('\n')));
    });
  });
}

/** Legacy commands run one after another so publications keep the order of the lines. */
async function runLegacyLines(ctx: NodeContext, lines: readonly string[]): Promise<string[]> {
  const replies: string[] = [];
  for (const line of lines) {
    const parsed = parseJson(Buffer.from(line));
    const command = parsed.ok ? (parsed.value as { method?: unknown; params?: unknown } | null) : null;
    if (!command || typeof command !== 'object' || typeof command.method !== 'string') {
      replies.push(encodeOutcome({ error: { code: 107, message: 'bad request: each line is {"method", "params"}' } }));
      continue;
    }
    replies.push(encodeOutcome(await runApiMethod(ctx, command.method, command.params ?? {})));
  }
  return replies;
}

import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { NodeContext } from '../server/node-context.js';
import { isKnownMethod, runApiMethod } from './api/api-dispatch.js';
import { encodeApiJson, inheritSource, parseApiJson } from './api/api-json.js';
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

// In transport error mode an error becomes an HTTP status instead of a 200 with an `error` field
// (Centrifugo's mapping; codes not listed become 500).
const transportStatus: Record<number, string> = {
  100: '500 Internal Server Error',
  102: '404 Not Found',
  104: '404 Not Found',
  107: '400 Bad Request',
  108: '400 Bad Request',
  112: '416 Range Not Satisfiable',
};

function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Centrifugo's API key rules: `X-API-Key` when present, otherwise `Authorization: apikey <key>` (exactly two
 * words); when neither matched, the `api_key` query parameter.
 */
function authorized(req: HttpRequest, options: ApiRouteOptions): boolean {
  if (options.insecure) return true;
  if (options.key === '') return false;
  const header = req.getHeader('x-api-key');
  if (header !== '') {
    if (keyMatches(header, options.key)) return true;
  } else {
    const parts = req.getHeader('authorization').trim().split(/\s+/);
    if (parts.length === 2 && parts[0]!.toLowerCase() === 'apikey' && keyMatches(parts[1]!, options.key)) return true;
  }
  if (req.getQuery() === '') return false;
  // uWS answers undefined for a parameter that is not there.
  const fromQuery = req.getQuery('api_key') as string | undefined;
  return fromQuery !== undefined && keyMatches(fromQuery, options.key);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  return parseApiJson(body.toString('utf8'));
}

const encodeOutcome = encodeApiJson;

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
      readBody(res, options.bodyLimit, guard, () => respond(res, guard, '401 Unauthorized', '{"error":{"code":101,"message":"unauthorized"}}'));
      return;
    }
    readBody(res, options.bodyLimit, guard, (read) => {
      if (!read.ok) {
        if (read.reason === 'aborted') guard.aborted = true;
        else respond(res, guard, '413 Payload Too Large', '{"error":{"code":107,"message":"request body too large"}}');
        return;
      }
      if (!isKnownMethod(method)) {
        // Centrifugo has no route for an unknown method: HTTP 404 in either error mode.
        respond(res, guard, '404 Not Found', '{"error":{"code":104,"message":"not found"}}');
        return;
      }
      const parsed = parseJson(read.body);
      if (!parsed.ok) {
        respond(res, guard, '400 Bad Request', '{"error":{"code":107,"message":"bad request: body is not valid JSON"}}');
        return;
      }
      void runApiMethod(ctx, method, parsed.value).then((outcome) => {
        if ('error' in outcome && outcome.malformed) {
          respond(res, guard, '400 Bad Request', JSON.stringify({ error: outcome.error }));
          return;
        }
        if (transportMode && 'error' in outcome) {
          respond(res, guard, transportStatus[outcome.error.code] ?? '500 Internal Server Error', JSON.stringify(outcome.error));
          return;
        }
        // Centrifugo's batch answer is the BatchResponse itself, `{"replies": […]}`, not wrapped in `result`.
        const body = method === 'batch' && 'result' in outcome ? encodeOutcome(outcome.result) : encodeOutcome(outcome);
        respond(res, guard, '200 OK', body);
      });
    });
  });

  // Legacy API: one `{"method": …, "params": …}` command per line, one reply per line.
  app.post(options.prefix, (res: HttpResponse, req: HttpRequest) => {
    const guard: ResponseGuard = { aborted: false };
    const ok = authorized(req, options);
    readBody(res, options.bodyLimit, guard, (read) => {
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

/** Legacy commands run one after another so publications keep the order of the lines; replies echo `id`. */
async function runLegacyLines(ctx: NodeContext, lines: readonly string[]): Promise<string[]> {
  const replies: string[] = [];
  for (const line of lines) {
    const parsed = parseJson(Buffer.from(line));
    const command = parsed.ok ? (parsed.value as { id?: unknown; method?: unknown; params?: unknown } | null) : null;
    if (!command || typeof command !== 'object' || typeof command.method !== 'string') {
      replies.push(encodeOutcome({ error: { code: 107, message: 'bad request: each line is {"method", "params"}' } }));
      continue;
    }
    inheritSource(command, ['params'], command.params);
    const outcome = await runApiMethod(ctx, command.method.toLowerCase(), command.params ?? {});
    const id = typeof command.id === 'number' && command.id > 0 ? { id: command.id } : {};
    replies.push(encodeOutcome('error' in outcome ? { ...id, error: outcome.error } : { ...id, result: outcome.result }));
  }
  return replies;
}

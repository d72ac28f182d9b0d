import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { isKnownMethod, runApiMethod } from '../http/api/api-dispatch.js';
import { encodeApiJson, parseApiJson } from '../http/api/api-json.js';
import { readBody } from '../http/read-body.js';
import { respond, type ResponseGuard } from '../http/respond.js';
import type { NodeContext } from '../server/node-context.js';
import type { NodeEngine } from '../server/node-engine.js';
import { escapeHtml, type AdminAssets } from './admin-assets.js';
import { liveToken } from './admin-live-token.js';
import {
  cookieValue,
  csrfSafeCall,
  readAdminHeaders,
  sameOrigin,
  sessionCookie,
  sessionCookieName,
  type AdminRequestHeaders,
} from './admin-request-guard.js';
import { placement, placementLimit, ringAnswer } from './admin-ring.js';
import { checkAdminSession, issueAdminSession, passwordMatches } from './admin-session.js';

/** Bodies of the login form and the admin-only reads are small. */
const smallBodyLimit = 64 * 1024;
/** A wrong password is answered after this pause, which slows down guessing. */
const failedLoginDelayMs = 400;

const htmlHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Where the admin UI lives: `<admin.handler_prefix>/admin`. */
export function adminBasePath(config: RingcastConfig): string {
  return `${config.admin.handler_prefix.replace(/\/+$/, '')}/admin`;
}

/**
 * Serves the admin UI and its endpoints under `<admin.handler_prefix>/admin`: the login (password → a signed,
 * expiring session cookie), the page, and the calls it makes. Every server API call runs through `runApiMethod`,
 * the code behind `POST /api/<method>`; the admin-only reads are the ring, channel placement and a live-view token.
 * Calls need the session (unless `admin.insecure`), the `X-Ringcast-Admin` header and a same-origin request.
 */
export function mountAdmin(app: TemplatedApp, ctx: NodeContext, engine: NodeEngine, config: RingcastConfig, assets: AdminAssets): void {
  const admin = config.admin;
  const base = adminBasePath(config);
  const ttlMs = config.ringcast.admin.session_ttl;
  const logger = ctx.logger.child({ component: 'admin' });
  const index = assets.index
    .replace('__INSECURE__', admin.insecure ? 'true' : 'false')
    .replace('__NODE__', escapeHtml(ctx.nodeName));
  const loginPage = (message: string): string =>
    assets.login.replace('<!--message-->', message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '');
  if (admin.insecure) logger.warn('admin.insecure is on: the admin UI needs no password (local development only)');

  const hasSession = (h: AdminRequestHeaders): boolean => {
    if (admin.insecure) return true;
    const value = cookieValue(h.cookie, sessionCookieName);
    return value !== '' && checkAdminSession(admin.secret, value, Date.now()).ok;
  };
  const redirect = (res: HttpResponse, location: string, extra: Record<string, string> = {}): void => {
    res.cork(() => {
      res.writeStatus('303 See Other').writeHeader('Location', location).writeHeader('Cache-Control', 'no-store');
      for (const [name, value] of Object.entries(extra)) res.writeHeader(name, value);
      res.end();
    });
  };
  const html = (res: HttpResponse, status: string, body: string, guard: ResponseGuard = { aborted: false }): void =>
    respond(res, guard, status, body, 'text/html; charset=utf-8', htmlHeaders);

  app.get(base, (res) => redirect(res, `${base}/`));
  app.get(`${base}/`, (res, req) => {
    if (!hasSession(readAdminHeaders(req))) return redirect(res, `${base}/login`);
    html(res, '200 OK', index);
  });
  app.get(`${base}/login`, (res) => {
    if (admin.insecure) return redirect(res, `${base}/`);
    html(res, '200 OK', loginPage(''));
  });
  app.post(`${base}/login`, (res, req) => {
    const h = readAdminHeaders(req);
    const guard: ResponseGuard = { aborted: false };
    // readBody marks the guard aborted also after the body is read, while a refused password waits.
    readBody(res, smallBodyLimit, guard, (read) => {
      if (!read.ok) {
        if (read.reason === 'too_large') html(res, '413 Payload Too Large', loginPage('The form was too large.'), guard);
        return;
      }
      if (!sameOrigin(h)) {
        logger.warn({ origin: h.origin, fetchSite: h.fetchSite }, 'admin login from another site refused');
        return respond(res, guard, '403 Forbidden', 'cross-site login refused', 'text/plain; charset=utf-8');
      }
      if (admin.insecure) return redirect(res, `${base}/`);
      const password = new URLSearchParams(read.body.toString('utf8')).get('password') ?? '';
      if (passwordMatches(password, admin.password)) {
        logger.info('admin logged in');
        const cookie = sessionCookie(issueAdminSession(admin.secret, Date.now(), ttlMs), base, Math.floor(ttlMs / 1000), h.forwardedProto === 'https');
        return redirect(res, `${base}/`, { 'Set-Cookie': cookie });
      }
      logger.warn('admin login with a wrong password refused');
      setTimeout(() => html(res, '401 Unauthorized', loginPage('Wrong password.'), guard), failedLoginDelayMs);
    });
  });
  app.post(`${base}/logout`, (res, req) => {
    const h = readAdminHeaders(req);
    const guard: ResponseGuard = { aborted: false };
    readBody(res, smallBodyLimit, guard, (read) => {
      if (!read.ok && read.reason === 'aborted') return;
      // Logging out needs no body, so an oversized one is ignored rather than refused.
      if (!csrfSafeCall(h)) return respond(res, guard, '403 Forbidden', '{"error":{"code":103,"message":"cross-site request refused"}}');
      respond(res, guard, '204 No Content', '', 'text/plain', {
        'Set-Cookie': sessionCookie('', base, 0, h.forwardedProto === 'https'),
      });
    });
  });
  app.get(`${base}/assets/admin.js`, (res) => {
    respond(res, { aborted: false }, '200 OK', assets.script, 'text/javascript; charset=utf-8', { 'X-Content-Type-Options': 'nosniff' });
  });
  app.get(`${base}/assets/admin.css`, (res) => {
    respond(res, { aborted: false }, '200 OK', assets.style, 'text/css; charset=utf-8', { 'X-Content-Type-Options': 'nosniff' });
  });

  /** An admin call: refused unless same-origin with the admin header (403) and logged in (401); then `run`. */
  const call = (
    path: string,
    bodyLimit: number,
    run: (params: Record<string, unknown>, method: string) => Promise<unknown>,
  ): void => {
    app.post(`${base}/${path}`, (res: HttpResponse, req: HttpRequest) => {
      const h = readAdminHeaders(req);
      const name = req.getUrl().slice(base.length + 1 + path.replace('*', '').length);
      const guard: ResponseGuard = { aborted: false };
      readBody(res, bodyLimit, guard, (read) => {
        if (!read.ok) {
          if (read.reason === 'too_large') respond(res, guard, '413 Payload Too Large', '{"error":{"code":107,"message":"request body too large"}}');
          return;
        }
        if (!csrfSafeCall(h)) {
          logger.warn({ origin: h.origin, fetchSite: h.fetchSite, path: name }, 'admin call without the admin header or from another site refused');
          return respond(res, guard, '403 Forbidden', '{"error":{"code":103,"message":"cross-site request refused"}}');
        }
        if (!hasSession(h)) return respond(res, guard, '401 Unauthorized', '{"error":{"code":101,"message":"unauthorized"}}');
        const parsed = parseApiJson(read.body.length === 0 ? '{}' : read.body.toString('utf8'));
        if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
          return respond(res, guard, '400 Bad Request', '{"error":{"code":107,"message":"bad request: body must be a JSON object"}}');
        }
        run(parsed.value as Record<string, unknown>, name).then(
          (answer) => respond(res, guard, answer === undefined ? '404 Not Found' : '200 OK', answer === undefined ? '{"error":{"code":104,"message":"not found"}}' : encodeApiJson(answer)),
          (err: unknown) => {
            logger.error({ err, path: name }, 'admin call failed');
            respond(res, guard, '500 Internal Server Error', '{"error":{"code":100,"message":"internal server error"}}');
          },
        );
      });
    });
  };

  // The server API, exactly as POST /api/<method> runs it.
  call('api/*', config.ringcast.http_api.max_request_body_size, async (params, method) => {
    if (!isKnownMethod(method)) return undefined;
    const outcome = await runApiMethod(ctx, method, params);
    return 'error' in outcome ? { error: outcome.error } : { result: outcome.result };
  });
  call('x/ring', smallBodyLimit, (params) => ringAnswer(ctx, engine, params['channels'] === true));
  call('x/place', smallBodyLimit, async (params) => {
    const channels = params['channels'];
    if (!Array.isArray(channels) || channels.length > placementLimit || !channels.every((c) => typeof c === 'string')) {
      return { error: { code: 107, message: `bad request: channels must be an array of at most ${placementLimit} strings` } };
    }
    return { shards: placement(engine, channels as string[]) };
  });
  call('x/live-token', smallBodyLimit, async (params) => {
    const channel = params['channel'];
    if (typeof channel !== 'string' || channel === '') return { unavailable: 'Name a channel to watch.' };
    if (!ctx.channels.resolve(channel)) return { unavailable: `Channel ${channel} is in no configured namespace.` };
    return liveToken(config, channel);
  });
  app.any(`${base}/*`, (res) => {
    res.cork(() => res.writeStatus('404 Not Found').writeHeader('Content-Type', 'text/plain; charset=utf-8').end('not found'));
  });
  logger.info({ path: `${base}/`, insecure: admin.insecure }, 'admin UI enabled');
}

/**
 * Sends visitors of the prefix root to the admin UI, where Centrifugo serves its UI: `<handler_prefix>/`, or `/`
 * when the prefix is empty and the demo page does not own it.
 */
export function mountAdminRedirects(app: TemplatedApp, config: RingcastConfig): void {
  const target = `${adminBasePath(config)}/`;
  const prefix = config.admin.handler_prefix.replace(/\/+$/, '');
  const paths = prefix !== '' ? [prefix, `${prefix}/`] : config.ringcast.demo.enabled ? [] : ['/'];
  for (const path of paths) {
    app.get(path, (res) => {
      res.cork(() => res.writeStatus('302 Found').writeHeader('Location', target).end());
    });
  }
}

// `ringcast roundtrip`: checks a running cluster end to end the way an application uses it. It signs a connection
// token whose claims subscribe the client to a channel (so no channel permissions are needed), connects over
// WebSocket with the official Centrifuge SDK, publishes a random payload through the HTTP API and succeeds when that
// publication arrives over the WebSocket. `helm test` runs it in a pod; people run it through a port-forward.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Centrifuge } from 'centrifuge';
import { SignJWT } from 'jose';

import { nsToMs, parseGoDuration } from '../../src/config/go-duration.js';
import { UsageError } from './args.js';

export const roundtripUsage = `Usage: ringcast roundtrip --url URL [--channel C] [--user U] [--timeout 30s]

Connects to a Ringcast cluster with the Centrifuge SDK, subscribes to a channel through the connection token,
publishes over the HTTP API and waits for the publication to arrive. Exit code 0 when it does, 1 otherwise.

  --url URL         the cluster's base URL, e.g. http://chat.default.svc:8000 (WebSocket: <url>/connection/websocket)
  --channel C       channel to round-trip through (default ringcast-roundtrip)
  --user U          user ID in the token (default ringcast-roundtrip)
  --timeout D       how long to wait for the whole check (default 30s)

Environment: RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY (signs the HS256 token) and RINGCAST_HTTP_API_KEY (the API key).`;

export interface RoundtripOptions {
  readonly url: URL;
  readonly channel: string;
  readonly user: string;
  readonly timeoutMs: number;
  readonly hmacSecret: string;
  readonly apiKey: string;
}

export interface RoundtripIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command line and environment as options; null for --help. Throws UsageError when something is missing. */
export function parseRoundtripArgs(argv: readonly string[], env: Record<string, string | undefined>): RoundtripOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        channel: { type: 'string' },
        user: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new UsageError(`roundtrip: ${(cause as Error).message}`, { cause });
  }
  if (values['help'] === true) return null;
  const urlText = typeof values['url'] === 'string' ? values['url'] : undefined;
  if (!urlText) throw new UsageError('roundtrip: --url is required, e.g. --url http://localhost:8000');
  let url: URL;
  try {
    url = new URL(urlText);
  } catch (cause) {
    throw new UsageError(`roundtrip: --url must be an http(s) URL, got "${urlText}"`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`roundtrip: --url must be http:// or https://, got "${urlText}"`);
  const timeoutText = typeof values['timeout'] === 'string' ? values['timeout'] : '30s';
  const timeoutNs = parseGoDuration(timeoutText);
  if (timeoutNs === null || timeoutNs <= 0) throw new UsageError(`roundtrip: --timeout expects a duration like "30s", got "${timeoutText}"`);
  const hmacSecret = env['RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY'];
  const apiKey = env['RINGCAST_HTTP_API_KEY'];
  if (!hmacSecret) throw new UsageError('roundtrip: RINGCAST_CLIENT_TOKEN_HMAC_SECRET_KEY must hold the HMAC key connection tokens are signed with');
  if (!apiKey) throw new UsageError('roundtrip: RINGCAST_HTTP_API_KEY must hold the server API key');
  return {
    url,
    channel: typeof values['channel'] === 'string' ? values['channel'] : 'ringcast-roundtrip',
    user: typeof values['user'] === 'string' ? values['user'] : 'ringcast-roundtrip',
    timeoutMs: nsToMs(timeoutNs),
    hmacSecret,
    apiKey,
  };
}

/** A step of the check that did not finish; the message says which and why. */
export class RoundtripError extends Error {
  readonly code = 'ROUNDTRIP_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RoundtripError';
  }
}

/** Node.js 22+ has a global WebSocket (the image); on Node.js 20 the `ws` package stands in. */
async function webSocketImpl(): Promise<unknown> {
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (global) return global;
  const ws = await import('ws');
  return ws.default;
}

async function publish(options: RoundtripOptions, data: unknown, deadline: number): Promise<void> {
  const endpoint = new URL('api/publish', options.url.href.endsWith('/') ? options.url : `${options.url.href}/`);
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
        body: JSON.stringify({ channel: options.channel, data }),
        signal: AbortSignal.timeout(Math.max(1, Math.min(5_000, deadline - Date.now()))),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: { code: number; message: string } };
      if (response.ok && !body.error) return;
      lastError = body.error ? `error ${body.error.code} ${body.error.message}` : `HTTP ${response.status}`;
      // An answer other than a server error will not change on retry.
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new RoundtripError(`publish to ${options.channel} through ${endpoint.href} failed: ${lastError}`);
}

export interface RoundtripReport {
  readonly connectMs: number;
  readonly roundtripMs: number;
  readonly node: string;
}

/** Runs the check; resolves with timings, rejects with a RoundtripError naming the step that failed. */
export async function roundtrip(options: RoundtripOptions): Promise<RoundtripReport> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const nowSeconds = Math.floor(started / 1000);
  const token = await new SignJWT({ sub: options.user, channels: [options.channel] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + Math.ceil(options.timeoutMs / 1000) + 60)
    .sign(new TextEncoder().encode(options.hmacSecret));
  const wsUrl = new URL('connection/websocket', options.url.href.endsWith('/') ? options.url : `${options.url.href}/`);
  wsUrl.protocol = options.url.protocol === 'https:' ? 'wss:' : 'ws:';
  const nonce = randomBytes(12).toString('hex');
  const client = new Centrifuge(wsUrl.href, { token, websocket: await webSocketImpl(), minReconnectDelay: 200, maxReconnectDelay: 2_000 });
  let lastProblem = 'no answer';
  client.on('disconnected', (ctx) => (lastProblem = `disconnected: ${ctx.code} ${ctx.reason}`));
  client.on('error', (ctx) => (lastProblem = `error: ${ctx.error.message}`));
  const subscribed = new Promise<string>((resolve) => {
    client.on('subscribed', (ctx) => {
      if (ctx.channel === options.channel) resolve(ctx.channel);
    });
  });
  const received = new Promise<void>((resolve) => {
    client.on('publication', (ctx) => {
      if (ctx.channel === options.channel && (ctx.data as { roundtrip?: unknown } | null)?.roundtrip === nonce) resolve();
    });
  });
  const step = <T>(what: string, promise: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RoundtripError(`${what}: nothing within the timeout (${lastProblem})`)), Math.max(0, deadline - Date.now()));
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  try {
    let node = '';
    client.on('connected', (ctx) => (node = ctx.client));
    client.connect();
    const connectStep = `connect to ${wsUrl.href}`;
    // ready() rejects with the SDK's {code, message} when the server refuses the connection for good (a bad token).
    await step(
      connectStep,
      client.ready().catch((error: unknown) => {
        const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
        throw new RoundtripError(`${connectStep}: refused (${String(code)} ${String(message)}; ${lastProblem})`);
      }),
    );
    await step(`server-side subscription to ${options.channel}`, subscribed);
    const connectMs = Date.now() - started;
    const published = Date.now();
    await publish(options, { roundtrip: nonce }, deadline);
    await step(`publication on ${options.channel} to arrive over the WebSocket`, received);
    return { connectMs, roundtripMs: Date.now() - published, node };
  } finally {
    client.disconnect();
  }
}

/** `ringcast roundtrip …`: exit code 0 on success, 1 when a step failed, 2 for a bad command line. */
export async function runRoundtrip(argv: readonly string[], io: RoundtripIo): Promise<number> {
  let options: RoundtripOptions | null;
  try {
    options = parseRoundtripArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`ringcast: ${error.message}\n\n${roundtripUsage}\n`);
    return 2;
  }
  if (options === null) {
    io.stdout(`${roundtripUsage}\n`);
    return 0;
  }
  try {
    const report = await roundtrip(options);
    io.stdout(
      `roundtrip ok: connected and subscribed to ${options.channel} in ${report.connectMs} ms; ` +
        `publication came back in ${report.roundtripMs} ms (client ${report.node})\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof RoundtripError)) throw error;
    io.stderr(`ringcast roundtrip failed: ${error.message}\n`);
    return 1;
  }
}

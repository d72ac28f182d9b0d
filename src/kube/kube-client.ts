import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from './kube-api-error.js';

// A small JSON client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig (which handles every
// kind of credentials). The generated clients turn timestamps into Date objects and have no streaming list/watch
// of arbitrary paths; the operator and the node want plain JSON, server-side apply on any kind, and watches they
// control (timeouts, aborts), so they all go through here.

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Default application/json; server-side apply uses application/apply-patch+yaml (JSON is valid YAML). */
  contentType?: string;
  signal?: AbortSignal;
  /** Per-request timeout; default 30 s. Watches pass 0 (none) and use their own deadline. */
  timeoutMs?: number;
  /** Accept header; default application/json (metadata-only lists and watches ask for PartialObjectMetadata). */
  accept?: string;
}

export const APPLY_PATCH = 'application/apply-patch+yaml';
export const MERGE_PATCH = 'application/merge-patch+json';
/** Accept headers that make the API answer with metadata only (no spec, status or Secret data). */
export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const METADATA_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: unknown;
}

function urlFor(server: string, path: string, query: Query | undefined): URL {
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

export class KubeClient {
  constructor(readonly kubeConfig: KubeConfig) {}

  /** The API server URL of the current context. */
  get server(): string {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeApiError(0, 'NoCluster', 'the kubeconfig has no current cluster');
    return cluster.server;
  }

  private async open(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const url = urlFor(this.server, path, options.query);
    const opts: https.RequestOptions = { method, headers: { Accept: options.accept ?? 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const headers = (opts.headers ?? {}) as Record<string, string>;
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    if (opts.auth) {
      headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      delete opts.auth;
    }
    opts.headers = headers;
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { ...opts, signal: options.signal }, resolve);
      const timeoutMs = options.timeoutMs ?? 30_000;
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () =>
          request.destroy(new KubeApiError(0, 'Timeout', `${method} ${path}: no answer within ${timeoutMs} ms`)),
        );
      }
      request.on('error', reject);
      request.end(payload);
    });
  }

  private static async readBody(response: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private static failure(method: string, path: string, status: number, text: string): KubeApiError {
    let body: StatusBody = {};
    try {
      body = JSON.parse(text) as StatusBody;
    } catch {
      body = { message: text.slice(0, 500) };
    }
    return new KubeApiError(status, body.reason ?? '', `${method} ${path}: ${status} ${body.message ?? ''}`.trim(), body.details);
  }

  /** One request; resolves with the parsed JSON body of a 2xx answer, rejects with KubeApiError otherwise. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.open(method, path, options);
    const text = await KubeClient.readBody(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw KubeClient.failure(method, path, status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  get<T = unknown>(path: string, query?: Query, accept?: string): Promise<T> {
    return this.request<T>('GET', path, { query, accept });
  }

  /** Server-side apply of `object` at `path` (the object's own URL) as `fieldManager`, taking over conflicts. */
  apply<T = unknown>(path: string, object: unknown, fieldManager: string, query: Query = {}): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: APPLY_PATCH,
      query: { fieldManager, force: true, ...query },
    });
  }

  mergePatch<T = unknown>(path: string, patch: unknown, query?: Query): Promise<T> {
    return this.request<T>('PATCH', path, { body: patch, contentType: MERGE_PATCH, query });
  }

  /**
   * Streams newline-delimited JSON (a watch) to `onLine` until the server ends the response, the signal aborts,
   * or the connection fails. Resolves when the stream ends normally; rejects with KubeApiError for a non-2xx
   * answer and with the socket's error otherwise.
   */
  async stream(
    path: string,
    query: Query,
    onLine: (line: string) => void,
    signal: AbortSignal,
    accept?: string,
  ): Promise<void> {
    const response = await this.open('GET', path, { query, signal, timeoutMs: 0, accept });
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw KubeClient.failure('GET', path, status, await KubeClient.readBody(response));
    }
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: response, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.trim() !== '') onLine(line);
      });
      response.on('error', reject);
      // readline re-emits its input's errors; without this listener a cut connection would crash the process.
      lines.on('error', reject);
      response.on('aborted', () => reject(new KubeApiError(0, 'Aborted', `GET ${path}: the watch connection was cut`)));
      lines.on('close', () => resolve());
    });
  }
}

import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import type { StatusToCodeTransform } from '../config/proxy-schema.js';
import { AnswerReader } from './answer-reader.js';
import { ProxyCallError } from './proxy-call-error.js';
import type { ProxyCallOptions, ProxyCaller } from './proxy-caller.js';
import { encodeRequestJson, type ProxyMethod, type ProxyRequest } from './proxy-request.js';

export interface HttpProxyCallerOptions {
  endpoint: string;
  timeoutMs: number;
  /** Sent with every request; headers from the client's connection win over them. */
  staticHeaders: Readonly<Record<string, string>>;
  statusTransforms: readonly StatusToCodeTransform[];
  /** TLS towards an https:// endpoint (undefined: Node's defaults). */
  tls: ConnectionOptions | undefined;
  maxResponseSize: number;
}

/** Headers a client's connection must not dictate to the backend request: they describe this hop. */
const hopHeaders = new Set(['host', 'content-length', 'content-type', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect']);

/**
 * The HTTP proxy: POSTs the request as JSON to the endpoint (one keep-alive connection pool per proxy) and reads a
 * 200 answer as JSON. Any other status is an error unless `http.status_to_code_transforms` turns it into a client
 * error or disconnect, as Centrifugo does.
 */
export class HttpProxyCaller implements ProxyCaller {
  readonly protocol = 'http' as const;
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly secure: boolean;
  private closed = false;

  constructor(private readonly options: HttpProxyCallerOptions) {
    this.url = new URL(options.endpoint);
    this.secure = this.url.protocol === 'https:';
    // Centrifugo keeps up to 255 idle connections per backend host.
    const agentOptions = { keepAlive: true, maxFreeSockets: 255 };
    this.agent = this.secure ? new HttpsAgent({ ...agentOptions, ...options.tls }) : new HttpAgent(agentOptions);
  }

  call(_method: ProxyMethod, request: ProxyRequest, callOptions: ProxyCallOptions): Promise<AnswerReader> {
    if (this.closed) return Promise.reject(new ProxyCallError('unreachable', 'proxy is closed'));
    let body: string;
    try {
      body = encodeRequestJson(request, !callOptions.payloadsAreJson);
    } catch (err) {
      return Promise.reject(err);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.options.staticHeaders)) headers[name.toLowerCase()] = value;
    for (const [name, value] of Object.entries(callOptions.headers)) {
      if (!hopHeaders.has(name)) headers[name] = value;
    }
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<AnswerReader>((resolve, reject) => {
      let settled = false;
      let req: ClientRequest;
      const finish = (error: ProxyCallError | null, answer?: AnswerReader): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else {
          resolve(answer!);
        }
      };
      const timer = setTimeout(
        () => finish(new ProxyCallError('timeout', `no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      try {
        req = (this.secure ? httpsRequest : httpRequest)(this.url, { method: 'POST', agent: this.agent, headers });
      } catch (cause) {
        clearTimeout(timer);
        reject(new ProxyCallError('unreachable', `cannot send the request: ${(cause as Error).message}`, { cause }));
        return;
      }
      // Refused, reset, DNS, TLS: the backend could not be asked.
      req.on('error', (err) => finish(new ProxyCallError('unreachable', `request failed: ${err.message}`, { cause: err })));
      req.on('response', (res) => this.readAnswer(res, finish));
      req.end(body);
    });
  }

  private readAnswer(res: IncomingMessage, finish: (error: ProxyCallError | null, answer?: AnswerReader) => void): void {
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      res.resume();
      const transformed = this.transformStatus(status);
      if (transformed) finish(null, transformed);
      else finish(new ProxyCallError('status', `backend answered HTTP ${status}`));
      return;
    }
    const limit = this.options.maxResponseSize;
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      finish(new ProxyCallError('too_large', `answer of ${declared} bytes exceeds ringcast.proxy.max_response_size (${limit})`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(new ProxyCallError('too_large', `answer exceeds ringcast.proxy.max_response_size (${limit} bytes)`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (err) => finish(new ProxyCallError('unreachable', `answer interrupted: ${err.message}`, { cause: err })));
    res.on('end', () => {
      try {
        finish(null, AnswerReader.json(Buffer.concat(chunks, size).toString('utf8')));
      } catch (err) {
        finish(err instanceof ProxyCallError ? err : new ProxyCallError('malformed', String(err)));
      }
    });
  }

  /** The first `status_to_code_transforms` entry for this status, as a synthetic answer. */
  private transformStatus(status: number): AnswerReader | null {
    for (const transform of this.options.statusTransforms) {
      if (transform.status_code !== status) continue;
      if (transform.to_error.code > 0) {
        const { code, message, temporary } = transform.to_error;
        return AnswerReader.of({ error: { code, message, temporary } });
      }
      if (transform.to_disconnect.code > 0) {
        return AnswerReader.of({ disconnect: { code: transform.to_disconnect.code, reason: transform.to_disconnect.reason } });
      }
    }
    return null;
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }
}

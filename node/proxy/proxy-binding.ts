import type { Logger } from 'pino';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../../src/observability/metrics.js';
import type { Bytes } from '../../src/protocol/client-protocol.js';
import { readAnswer, type ProxyAnswer } from '../../src/proxy/answer-envelope.js';
import type { AnswerReader } from '../../src/proxy/answer-reader.js';
import { ProxyCallError, type ProxyFailureKind } from '../../src/proxy/proxy-call-error.js';
import type { ProxyCaller } from '../../src/proxy/proxy-caller.js';
import type { ProxyMethod, ProxyRequest } from '../../src/proxy/proxy-request.js';

/** What a proxy sends along besides the event itself (a proxy's `binary_encoding`, header lists, …). */
export interface ProxySettings {
  binaryEncoding: boolean;
  includeConnectionMeta: boolean;
  /** Lower-case names of the connection request's headers to pass on (`http_headers`). */
  httpHeaders: readonly string[];
  /** Lower-case names of the SDK's emulated headers to pass on (`emulated_headers`). */
  emulatedHeaders: readonly string[];
}

/** The connection a call is made for: identity for the log, headers to pass on. */
export interface ProxyCallContext {
  clientId: string;
  user: string;
  channel?: string;
  /** Headers of the connection request, by lower-case name (only the names some proxy passes on). */
  connectionHeaders: Readonly<Record<string, string>> | undefined;
  /** Headers the SDK sent in its connect command, by lower-case name. */
  emulatedHeaders: Readonly<Record<string, string>> | undefined;
  /** False for a protobuf connection: its payloads may be any bytes. */
  payloadsAreJson: boolean;
}

type Observe = Histogram<'protocol' | 'type' | 'name'>;

/**
 * One configured proxy as one event type uses it: the caller plus its metrics (duration, in flight, failures by
 * kind) and the log line a failure leaves. A failure never escapes as an exception: the caller gets null and
 * answers the client with error 100 (or what Centrifugo does instead for that event).
 */
export class ProxyBinding {
  private readonly duration: ReturnType<Observe['labels']>;
  private readonly inflight: ReturnType<Gauge<'protocol' | 'type' | 'name'>['labels']>;
  private readonly failures = new Map<ProxyFailureKind, ReturnType<Counter<'protocol' | 'type' | 'name' | 'kind'>['labels']>>();

  constructor(
    readonly type: ProxyMethod,
    readonly name: string,
    private readonly caller: ProxyCaller,
    readonly settings: ProxySettings,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.duration = metrics.proxyDuration.labels(caller.protocol, type, name);
    this.inflight = metrics.proxyInflight.labels(caller.protocol, type, name);
  }

  get protocol(): 'http' | 'grpc' {
    return this.caller.protocol;
  }

  /** `json`, or `binary` when payloads travel base64-encoded (the request's `encoding` field). */
  get encoding(): 'json' | 'binary' {
    return this.settings.binaryEncoding ? 'binary' : 'json';
  }

  /** A payload as the request carries it: raw in `data`, or base64 in `b64data` with binary_encoding. */
  payload(bytes: Bytes | undefined): ProxyRequest {
    if (!bytes || bytes.length === 0) return {};
    return this.settings.binaryEncoding ? { b64data: Buffer.from(bytes).toString('base64') } : { data: bytes };
  }

  /** The connection's meta, when this proxy includes it. */
  meta(meta: Bytes | undefined): Bytes | undefined {
    return this.settings.includeConnectionMeta && meta && meta.length > 0 ? meta : undefined;
  }

  /** Headers to pass on: the SDK's emulated ones first, then the connection request's (which win), as Centrifugo. */
  private headers(context: ProxyCallContext): Record<string, string> {
    const out: Record<string, string> = {};
    const emulated = context.emulatedHeaders;
    if (emulated) for (const name of this.settings.emulatedHeaders) if (emulated[name] !== undefined) out[name] = emulated[name];
    const transport = context.connectionHeaders;
    if (transport) for (const name of this.settings.httpHeaders) if (transport[name] !== undefined) out[name] = transport[name];
    return out;
  }

  /**
   * Sends the request and reads the answer with `readResult`. Null when there is no usable answer (timeout,
   * unreachable, bad status, too large, malformed): counted by kind and logged with the proxy's name — never with
   * headers, tokens or payloads.
   */
  async call<R>(request: ProxyRequest, context: ProxyCallContext, readResult: (result: AnswerReader) => R): Promise<ProxyAnswer<R> | null> {
    const started = performance.now();
    this.inflight.inc();
    try {
      const answer = await this.caller.call(this.type, request, {
        headers: this.headers(context),
        payloadsAreJson: context.payloadsAreJson,
      });
      return readAnswer(answer, readResult);
    } catch (err) {
      const failure = err instanceof ProxyCallError ? err : new ProxyCallError('malformed', `unexpected: ${String(err)}`, { cause: err });
      this.failure(failure.kind).inc();
      this.logger.error(
        {
          proxy: this.name,
          type: this.type,
          protocol: this.caller.protocol,
          client: context.clientId,
          user: context.user,
          ...(context.channel !== undefined ? { channel: context.channel } : {}),
          kind: failure.kind,
          reason: failure.message,
        },
        `${this.type} proxy call failed`,
      );
      return null;
    } finally {
      this.inflight.dec();
      this.duration.observe((performance.now() - started) / 1000);
    }
  }

  private failure(kind: ProxyFailureKind): ReturnType<Counter<'protocol' | 'type' | 'name' | 'kind'>['labels']> {
    let counter = this.failures.get(kind);
    if (!counter) {
      counter = this.metrics.proxyErrors.labels(this.caller.protocol, this.type, this.name, kind);
      this.failures.set(kind, counter);
    }
    return counter;
  }
}

import { Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import type { GrpcChannelSecurity } from '../grpc/grpc-tls.js';
import { loadGrpcService } from '../grpc/load-proto.js';
import { AnswerReader } from './answer-reader.js';
import { ProxyCallError, type ProxyFailureKind } from './proxy-call-error.js';
import type { ProxyCallOptions, ProxyCaller } from './proxy-caller.js';
import { grpcMethodNames, type ProxyMethod, type ProxyRequest } from './proxy-request.js';

export const proxyProtoFile = 'centrifugo-proxy.proto';
export const proxyServiceName = 'centrifugal.centrifugo.proxy.CentrifugoProxy';

export interface GrpcProxyCallerOptions {
  /** `grpc://host:port` or `host:port`. */
  endpoint: string;
  timeoutMs: number;
  security: GrpcChannelSecurity;
  /** Sent with every call; metadata from the client's connection wins over it. */
  staticMetadata: Readonly<Record<string, string>>;
  /** `grpc.credentials_key`/`credentials_value`: one more metadata entry on every call (e.g. a backend token). */
  credentials: { key: string; value: string } | null;
  compression: boolean;
  maxResponseSize: number;
}

type UnaryMethod = (
  request: ProxyRequest,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response?: object) => void,
) => void;

/** The gRPC status of a failed call, as a failure kind. */
function failureKind(code: number, details: string): ProxyFailureKind {
  // grpc-js reports an answer that does not decode as the proxy's messages as INTERNAL.
  if (code === status.INTERNAL && /pars/i.test(details)) return 'malformed';
  switch (code) {
    case status.DEADLINE_EXCEEDED:
      return 'timeout';
    case status.UNAVAILABLE:
      return 'unreachable';
    case status.RESOURCE_EXHAUSTED:
      return 'too_large';
    default:
      return 'status';
  }
}

function setMetadata(metadata: Metadata, name: string, value: string): void {
  try {
    metadata.set(name.toLowerCase(), value);
  } catch {
    // A key or value gRPC cannot carry (non-ASCII, reserved): left out rather than failing the call.
  }
}

/** The gRPC proxy: unary calls of Centrifugo's CentrifugoProxy service on one channel per proxy. */
export class GrpcProxyCaller implements ProxyCaller {
  readonly protocol = 'grpc' as const;
  private readonly client: Client;

  constructor(private readonly options: GrpcProxyCallerOptions) {
    const Service = loadGrpcService(proxyProtoFile, proxyServiceName);
    const target = options.endpoint.startsWith('grpc://') ? options.endpoint.slice('grpc://'.length) : options.endpoint;
    this.client = new Service(target, options.security.credentials, {
      ...options.security.options,
      // Nothing reads channelz here, and its per-call bookkeeping cost ~15 % of a call's CPU (make bench-proxy-caller).
      'grpc.enable_channelz': 0,
      'grpc.max_receive_message_length': options.maxResponseSize,
      ...(options.compression ? { 'grpc.default_compression_algorithm': 2 } : {}),
    });
  }

  call(method: ProxyMethod, request: ProxyRequest, callOptions: ProxyCallOptions): Promise<AnswerReader> {
    const metadata = new Metadata();
    for (const [name, value] of Object.entries(this.options.staticMetadata)) setMetadata(metadata, name, value);
    for (const [name, value] of Object.entries(callOptions.headers)) setMetadata(metadata, name, value);
    if (this.options.credentials) setMetadata(metadata, this.options.credentials.key, this.options.credentials.value);
    const unary = (this.client as unknown as Record<string, UnaryMethod>)[grpcMethodNames[method]]!.bind(this.client);
    return new Promise((resolve, reject) => {
      unary(request, metadata, { deadline: Date.now() + this.options.timeoutMs }, (error, response) => {
        if (error) {
          const kind = failureKind(error.code, error.details ?? '');
          const what = kind === 'timeout' ? `no answer within ${this.options.timeoutMs} ms` : `gRPC status ${status[error.code] ?? error.code}: ${error.details}`;
          reject(new ProxyCallError(kind, what, { cause: error }));
          return;
        }
        resolve(AnswerReader.grpc(response ?? {}));
      });
    });
  }

  close(): void {
    this.client.close();
  }
}

// A real application backend for proxy tests, speaking Centrifugo's proxy protocol over HTTP (a node:http server,
// JSON bodies, one path per event) or gRPC (a @grpc/grpc-js server for the CentrifugoProxy service from our .proto).
// Tests write one handler per event in a neutral form, so the same test runs against either protocol:
// - the handler sees the request with payloads (`data`, `meta`) as parsed JSON values and headers/metadata by
//   lower-case name;
// - it returns the answer with payloads (`data`, `info`, `meta`) as JSON values, which the backend sends as JSON
//   text (HTTP) or as the bytes of that text (gRPC); or `hang` to never answer; or, over HTTP only, a raw response.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server as GrpcServer, type ServerUnaryCall, type sendUnaryData, type ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { grpcServerCredentials, type TlsServerConfig } from '../../src/grpc/grpc-tls.js';
import { loadGrpcService } from '../../src/grpc/load-proto.js';
import { proxyProtoFile, proxyServiceName } from '../../src/proxy/grpc-proxy-caller.js';

export type BackendKind = 'http' | 'grpc';
export type ProxyEvent = 'connect' | 'refresh' | 'subscribe' | 'publish' | 'rpc' | 'sub_refresh';

/** What the backend received. */
export interface BackendRequest {
  event: ProxyEvent;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A raw HTTP response (HTTP backends only): for bad-input tests. */
export interface RawHttpAnswer {
  raw: { status?: number; body: string | Buffer };
}

/** A raw gRPC response message (gRPC backends only): bytes that need not decode as the proxy's messages. */
export interface RawGrpcAnswer {
  rawGrpc: Buffer;
}

export type BackendAnswer = Record<string, unknown> | 'hang' | RawHttpAnswer | RawGrpcAnswer;
export type BackendHandler = (request: BackendRequest) => BackendAnswer | Promise<BackendAnswer>;

const grpcMethods: Record<string, ProxyEvent> = {
  Connect: 'connect',
  Refresh: 'refresh',
  Subscribe: 'subscribe',
  Publish: 'publish',
  RPC: 'rpc',
  SubRefresh: 'sub_refresh',
};
const payloadKeys = ['data', 'info', 'meta'];

export class ProxyBackend {
  readonly requests: BackendRequest[] = [];
  private readonly handlers = new Map<ProxyEvent, BackendHandler>();
  private readonly hanging: Array<() => void> = [];

  /** Use ProxyBackend.start; `closeServer` stops the listener, `tls` says whether the endpoint is TLS. */
  constructor(
    readonly kind: BackendKind,
    readonly port: number,
    private readonly closeServer: () => Promise<void>,
    private readonly tls: boolean,
  ) {}

  /** The endpoint a proxy config names for `event`. */
  endpoint(event: ProxyEvent): string {
    if (this.kind === 'http') return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/${event}`;
    return `grpc://127.0.0.1:${this.port}`;
  }

  on(event: ProxyEvent, handler: BackendHandler): this {
    this.handlers.set(event, handler);
    return this;
  }

  received(event: ProxyEvent): BackendRequest[] {
    return this.requests.filter((r) => r.event === event);
  }

  /** Records a request and asks its handler (servers call this). */
  async handle(request: BackendRequest): Promise<BackendAnswer> {
    this.requests.push(request);
    const handler = this.handlers.get(request.event);
    if (!handler) return { error: { code: 1404, message: `test backend has no ${request.event} handler` } };
    return handler(request);
  }

  /** Keeps a request unanswered until the backend stops (then `release` ends it). */
  hold(release: () => void): void {
    this.hanging.push(release);
  }

  async stop(): Promise<void> {
    for (const release of this.hanging.splice(0)) release();
    await this.closeServer();
  }

  static async start(kind: BackendKind, options: { tls?: TlsServerConfig & { enabled: true } } = {}): Promise<ProxyBackend> {
    return kind === 'http' ? startHttp(options.tls) : startGrpc(options.tls);
  }
}

function startHttp(tls: TlsServerConfig | undefined): Promise<ProxyBackend> {
  let backend: ProxyBackend;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const event = (req.url ?? '/').slice(1) as ProxyEvent;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const answer = await backend.handle({ event, body, headers });
        if (answer === 'hang') {
          backend.hold(() => res.destroy());
          return;
        }
        if ('raw' in answer && typeof answer['raw'] === 'object') {
          const raw = (answer as RawHttpAnswer).raw;
          res.writeHead(raw.status ?? 200, { 'content-type': 'application/json' }).end(raw.body);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      })();
    });
  };
  // PEM paths (as the proxy config names them for the client side).
  const server: Server = tls ? createHttpsServer({ cert: readFileSync(tls.cert_pem), key: readFileSync(tls.key_pem) }, handler) : createServer(handler);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      backend = new ProxyBackend(
        'http',
        address.port,
        () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
        tls !== undefined,
      );
      resolve(backend);
    });
  });
}

/** JSON values of payload fields → the bytes of their JSON text (what a gRPC backend sends). */
function toGrpcAnswer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toGrpcAnswer);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = payloadKeys.includes(key) ? Buffer.from(JSON.stringify(item)) : toGrpcAnswer(item);
  }
  return out;
}

/** Bytes of payload fields in a decoded gRPC request → their JSON values (what an HTTP backend would see). */
function fromGrpcRequest(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(message)) {
    out[key] = Buffer.isBuffer(item) ? (payloadKeys.includes(key) ? JSON.parse(item.toString('utf8')) : item) : item;
  }
  return out;
}

async function startGrpc(tls: TlsServerConfig | undefined): Promise<ProxyBackend> {
  const Service = loadGrpcService(proxyProtoFile, proxyServiceName);
  // The backend object needs the bound port, the handlers need the backend: they meet through this holder.
  const holder: { backend?: ProxyBackend } = {};
  const server = new GrpcServer();
  const implementation: UntypedServiceImplementation = {};
  const service = { ...Service.service };
  for (const [method, event] of Object.entries(grpcMethods)) {
    const definition = service[method]!;
    // Lets a handler answer raw bytes (that need not decode as the proxy's response message).
    service[method] = {
      ...definition,
      responseSerialize: (value: unknown) =>
        Buffer.isBuffer((value as RawGrpcAnswer | undefined)?.rawGrpc) ? (value as RawGrpcAnswer).rawGrpc : definition.responseSerialize(value),
    };
    implementation[method] = (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(call.metadata.getMap())) headers[name] = String(value);
        const backend = holder.backend!;
        const answer = await backend.handle({
          event,
          body: fromGrpcRequest(call.request),
          headers,
        });
        if (answer === 'hang') {
          backend.hold(() => callback({ code: 1, details: 'backend stopped' }));
          return;
        }
        if ('rawGrpc' in answer && Buffer.isBuffer(answer['rawGrpc'])) return callback(null, answer);
        callback(null, toGrpcAnswer(answer));
      })();
    };
  }
  server.addService(service, implementation);
  const credentials: ServerCredentials = grpcServerCredentials(tls ?? { enabled: false, cert_pem: '', key_pem: '' }, 'test backend tls');
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  holder.backend = new ProxyBackend(
    'grpc',
    port,
    () => new Promise<void>((done) => server.tryShutdown(() => done())).then(() => server.forceShutdown()),
    tls !== undefined,
  );
  return holder.backend;
}

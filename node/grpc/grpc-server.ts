import { Server, type ServerCredentials } from '@grpc/grpc-js';

/** Where a gRPC server listens and how (the common part of `grpc_api` and `uni_grpc`). */
export interface GrpcListenOptions {
  /** '' = every interface. */
  address: string;
  /** 0 = a free port (tests). */
  port: number;
  credentials: ServerCredentials;
  /** bytes; 0 = gRPC's default. */
  maxReceiveMessageSize: number;
}

export class GrpcListenError extends Error {
  readonly code = 'GRPC_LISTEN_FAILED';
}

/** A gRPC server with channelz off (nothing reads it; it costs per call). Services are added before `listenGrpc`. */
export function newGrpcServer(options: GrpcListenOptions, extra: Record<string, number> = {}): Server {
  return new Server({
    'grpc.enable_channelz': 0,
    ...(options.maxReceiveMessageSize > 0 ? { 'grpc.max_receive_message_length': options.maxReceiveMessageSize } : {}),
    ...extra,
  });
}

/** Binds the server; resolves with the port it listens on. */
export function listenGrpc(server: Server, options: GrpcListenOptions): Promise<number> {
  const host = options.address || '0.0.0.0';
  // IPv6 literals need brackets in a gRPC target.
  const target = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(target, options.credentials, (error, port) => {
      if (error) reject(new GrpcListenError(`cannot listen on ${target}: ${error.message}`, { cause: error }));
      else resolve(port);
    });
  });
}

/** Stops taking calls and waits for running ones up to `graceMs`, then cuts what is left. */
export function shutdownGrpc(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

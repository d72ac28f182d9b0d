import type { Server } from '@grpc/grpc-js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { grpcServerCredentials } from '../../src/grpc/grpc-tls.js';
import type { Session, SessionContext } from '../session/session.js';
import { addGrpcApiService } from './grpc-api-service.js';
import { listenGrpc, newGrpcServer, shutdownGrpc, type GrpcListenOptions } from './grpc-server.js';
import { addUniGrpcService } from './uni-grpc-service.js';

/** The node's gRPC listeners (each null when its section is off). */
export interface GrpcServers {
  apiPort: number | null;
  uniPort: number | null;
  /** Stops taking new calls; running ones get `graceMs` (uni streams are ended by the node's drain first). */
  stop(graceMs: number): Promise<void>;
}

function listenOptions(section: RingcastConfig['grpc_api'] | RingcastConfig['uni_grpc'], key: string): GrpcListenOptions {
  return {
    address: section.address,
    port: section.port,
    credentials: grpcServerCredentials(section.tls, `${key}.tls`),
    maxReceiveMessageSize: section.max_receive_message_size,
  };
}

/** Starts `grpc_api` and `uni_grpc` when enabled, each on its own port as in Centrifugo. */
export async function startGrpcServers(
  config: RingcastConfig,
  ctx: SessionContext,
  uni: { accepting(): boolean; live: Set<Session> },
): Promise<GrpcServers> {
  const servers: Server[] = [];
  const stopAll = (graceMs: number): Promise<void> =>
    Promise.all(servers.map((server) => shutdownGrpc(server, graceMs))).then(() => undefined);
  try {
    let apiPort: number | null = null;
    let uniPort: number | null = null;
    if (config.grpc_api.enabled) {
      const options = listenOptions(config.grpc_api, 'grpc_api');
      const server = newGrpcServer(options);
      addGrpcApiService(server, ctx, { key: config.grpc_api.key, transportErrorMode: config.grpc_api.error_mode === 'transport' });
      servers.push(server);
      apiPort = await listenGrpc(server, options);
      ctx.logger.info({ port: apiPort }, 'serving the gRPC server API');
    }
    if (config.uni_grpc.enabled) {
      const options = listenOptions(config.uni_grpc, 'uni_grpc');
      // Keepalives as Centrifugo's uni stream sets them: a ping every 25 s, 5 s to answer; clients may ping every 5 s.
      const server = newGrpcServer(options, {
        'grpc.keepalive_time_ms': 25_000,
        'grpc.keepalive_timeout_ms': 5_000,
        'grpc.http2.min_ping_interval_without_data_ms': 5_000,
      });
      addUniGrpcService(server, ctx, uni);
      servers.push(server);
      uniPort = await listenGrpc(server, options);
      ctx.logger.info({ port: uniPort }, 'serving the unidirectional gRPC stream');
    }
    return { apiPort, uniPort, stop: stopAll };
  } catch (err) {
    await stopAll(0);
    throw err;
  }
}

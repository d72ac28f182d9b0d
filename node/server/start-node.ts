import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { us_listen_socket } from 'uWebSockets.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { Metrics } from '../../src/observability/metrics.js';
import { DisconnectCode, disconnect } from '../../src/protocol/codes.js';
import { jsonCodec } from '../../src/protocol/json-codec.js';
import { protobufCodec } from '../../src/protocol/protobuf-codec.js';
import { systemClock, type Clock } from '../../src/timing/clock.js';
import { TimerWheel, startWheelDriver } from '../../src/timing/timer-wheel.js';
import { Fanout } from '../delivery/fanout.js';
import { FlushScheduler } from '../delivery/flush-scheduler.js';
import { ClusterControl } from '../cluster/cluster-control.js';
import { ClusterSessionLocator } from '../cluster/cluster-session-locator.js';
import { loadAdminAssets } from '../admin/admin-assets.js';
import { mountAdmin, mountAdminRedirects } from '../admin/admin-routes.js';
import { startGrpcServers, type GrpcServers } from '../grpc/start-grpc.js';
import { mountApi } from '../http/api-routes.js';
import { mountDemo } from '../http/demo-routes.js';
import { mountOps } from '../http/ops-routes.js';
import { BrokerSubscriptions } from '../hub/broker-subscriptions.js';
import { Hub } from '../hub/hub.js';
import { NodeProxies } from '../proxy/node-proxies.js';
import type { Session, SessionContext } from '../session/session.js';
import { mountHttpTransports } from '../transport/mount-transports.js';
import { mountWebSocket } from '../transport/websocket.js';
import { loadNativeUws } from './native-uws.js';
import { drainOverWindow } from './drain.js';
import { startEngine, type NodeEngine } from './node-engine.js';
import type { ShardSource } from '../../src/sharding/shard-source.js';
import { channelResolverFromConfig, clientOptionsFromConfig, tokenVerifierFromConfig } from './options-from-config.js';
import { SwappableChannelResolver } from './swappable-channel-resolver.js';
import { ringcastVersion } from './version.js';

export interface StartNodeOptions {
  config: RingcastConfig;
  logger: Logger;
  /** Tests pass a manual clock and drive the timer wheel themselves. */
  clock?: Clock;
  manualTimers?: boolean;
  /** Where the Redis ring comes from instead of the config (the Kubernetes RealtimeCluster status). */
  shardSource?: ShardSource;
}

export interface RunningNode {
  readonly port: number;
  readonly ctx: SessionContext;
  readonly engine: NodeEngine;
  /** Ports of the gRPC server API and the unidirectional gRPC stream (null when off). */
  readonly grpcApiPort: number | null;
  readonly uniGrpcPort: number | null;
  /** Stops accepting, disconnects every client with 3001 (shutdown) and releases the engine. */
  stop(): Promise<void>;
}

export class ListenError extends Error {
  readonly code = 'LISTEN_FAILED';
}

/** Starts one node: the uWS server with every enabled transport and endpoint, on the configured engine. */
export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  const { config, logger } = options;
  const uws = loadNativeUws();
  const clock = options.clock ?? systemClock;
  const hub = new Hub<Session>();
  const metrics = new Metrics({
    connections: () => hub.connections,
    users: () => hub.users,
    subscriptions: () => hub.subscriptions,
    channels: () => hub.channels,
  });
  // Read before anything starts, so a node whose admin UI is not built stops with nothing left running.
  const adminAssets = config.admin.enabled ? loadAdminAssets() : undefined;
  // Built before the engine so a proxy that cannot be set up (a TLS file missing) stops the start cleanly.
  const proxies = new NodeProxies(config, metrics, logger.child({ component: 'proxy' }));
  const channels = new SwappableChannelResolver(channelResolverFromConfig(config));
  // Run by the operator: follow the RealtimeCluster (its ring, and channel options edited on it). Loaded only then.
  const link = config.ringcast.kubernetes.cluster
    ? (await import('../kube/kubernetes-link.js')).linkToCluster(config, logger)
    : undefined;
  let stopFollowing: (() => void) | undefined;
  if (link) {
    const { followChannelConfig } = await import('../kube/live-channel-follower.js');
    stopFollowing = followChannelConfig(
      link.watch,
      config,
      (next) => {
        channels.replace(channelResolverFromConfig(next));
        proxies.replaceChannelConfig(next.channel);
      },
      logger,
    );
    link.watch.start();
  }
  const shardSource = options.shardSource ?? (link && config.engine.type === 'redis' ? link.shardSource : undefined);
  let engine: NodeEngine;
  try {
    // On the Redis engine this waits for a ring (from the RealtimeCluster: until the operator publishes one).
    engine = await startEngine(config, { logger, metrics, clock, ...(shardSource ? { shardSource } : {}) });
  } catch (error) {
    stopFollowing?.();
    await link?.stop();
    proxies.close();
    throw error;
  }
  const { broker, presence } = engine;
  const wheel = new TimerWheel(clock);
  const nodeId = randomUUID();
  const nodeName = config.node.name || hostname();
  const version = ringcastVersion();
  const startedAt = clock.now();
  const cluster = new ClusterControl({
    nodeId,
    nodeName,
    version,
    startedAt,
    clock,
    hub,
    controller: engine.controller,
    logger: logger.child({ component: 'cluster' }),
  });
  const ctx: SessionContext = {
    nodeId,
    nodeName,
    version,
    startedAt,
    client: clientOptionsFromConfig(config),
    channels,
    tokens: tokenVerifierFromConfig(config),
    proxies,
    hub,
    broker,
    brokerSubs: new BrokerSubscriptions(hub, broker, logger),
    presence,
    cluster,
    wheel,
    clock,
    scheduler: new FlushScheduler(config.ringcast.client.write_delay),
    metrics,
    logger,
  };
  await broker.run(new Fanout(hub, metrics));
  await cluster.start();

  const app = uws.App();
  const live = new Set<Session>();
  let accepting = true;
  // New connections are refused with HTTP 503 while shutting down and, as Centrifugo's connection limit
  // middleware does, while the node holds client.connection_limit connections.
  const admitting = (): boolean =>
    accepting && !(ctx.client.connectionLimit > 0 && ctx.hub.connections >= ctx.client.connectionLimit);
  if (!config.websocket.disabled) {
    mountWebSocket(app, ctx, {
      path: config.websocket.handler_prefix,
      messageSizeLimit: config.websocket.message_size_limit,
      codecs: { json: jsonCodec, protobuf: protobufCodec },
      accepting: admitting,
      live,
    });
  }
  mountHttpTransports(app, ctx, config, {
    codecs: { json: jsonCodec, protobuf: protobufCodec },
    accepting: admitting,
    live,
    locator: (sessions) => new ClusterSessionLocator(nodeId, sessions, cluster, logger.child({ component: 'emulation' })),
  });
  if (!config.http_api.disabled) {
    mountApi(app, ctx, {
      prefix: config.http_api.handler_prefix,
      key: config.http_api.key,
      insecure: config.http_api.insecure,
      bodyLimit: config.ringcast.http_api.max_request_body_size,
      transportErrorMode: config.http_api.error_mode === 'transport',
    });
  }
  mountOps(app, metrics, () => engine.health(), () => (accepting ? null : 'draining'), {
    healthPath: config.health.enabled ? config.health.handler_prefix : null,
    metricsPath: config.prometheus.enabled ? config.prometheus.handler_prefix : null,
  });
  if (adminAssets) {
    mountAdmin(app, ctx, engine, config, adminAssets);
    mountAdminRedirects(app, config);
  }
  if (config.ringcast.demo.enabled) mountDemo(app);
  app.any('/*', (res) => {
    res.cork(() => res.writeStatus('404 Not Found').end('not found'));
  });

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    const host = config.http_server.address || '0.0.0.0';
    app.listen(host, config.http_server.port, (socket) => {
      if (socket) resolve(socket);
      else reject(new ListenError(`cannot listen on ${host}:${config.http_server.port} (address in use or not allowed)`));
    });
  });
  const port = uws.us_socket_local_port(listenSocket);
  let grpc: GrpcServers;
  try {
    grpc = await startGrpcServers(config, ctx, { accepting: admitting, live });
  } catch (err) {
    uws.us_listen_socket_close(listenSocket);
    stopFollowing?.();
    await link?.stop();
    await cluster.stop();
    await engine.close();
    throw err;
  }
  const driver = options.manualTimers ? undefined : startWheelDriver(wheel);
  logger.info({ port, node: ctx.nodeName, engine: config.engine.type, version: ctx.version, nodejs: process.version }, 'node started');

  let stopped = false;
  return {
    port,
    ctx,
    engine,
    grpcApiPort: grpc.apiPort,
    uniGrpcPort: grpc.uniPort,
    async stop() {
      if (stopped) return;
      stopped = true;
      // New connections are refused and /health turns 503 at once; the listener stays open through the drain so
      // probes and the API still answer. Clients leave spread over the drain window, each told to reconnect (to
      // another node, where they recover what they missed from history).
      accepting = false;
      const drainWindowMs = config.ringcast.shutdown.drain_window;
      const shutdown = disconnect(DisconnectCode.shutdown);
      if (live.size > 0) logger.info({ clients: live.size, drainWindowMs }, 'draining clients');
      await drainOverWindow([...live], drainWindowMs, (session) => session.close(shutdown));
      uws.us_listen_socket_close(listenSocket);
      for (const session of [...live]) session.close(shutdown);
      await grpc.stop(1000);
      stopFollowing?.();
      await link?.stop();
      driver?.stop();
      ctx.proxies.close();
      await cluster.stop();
      await engine.close();
      logger.info({ node: ctx.nodeName }, 'node stopped');
    },
  };
}

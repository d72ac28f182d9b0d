import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { us_listen_socket } from 'uWebSockets.js';
import type { RingcastConfig } from '../../src/config/config-schema.js';
import { MemoryBroker } from '../../src/engine/memory/memory-broker.js';
import { MemoryPresenceManager } from '../../src/engine/memory/memory-presence.js';
import { Metrics } from '../../src/observability/metrics.js';
import { DisconnectCode, disconnect } from '../../src/protocol/codes.js';
import { jsonCodec } from '../../src/protocol/json-codec.js';
import { protobufCodec } from '../../src/protocol/protobuf-codec.js';
import { systemClock, type Clock } from '../../src/timing/clock.js';
import { TimerWheel, startWheelDriver } from '../../src/timing/timer-wheel.js';
import { Fanout } from '../delivery/fanout.js';
import { FlushScheduler } from '../delivery/flush-scheduler.js';
import { mountApi } from '../http/api-routes.js';
import { mountDemo } from '../http/demo-routes.js';
import { mountOps } from '../http/ops-routes.js';
import { BrokerSubscriptions } from '../hub/broker-subscriptions.js';
import { Hub } from '../hub/hub.js';
import type { Session } from '../session/session.js';
import { mountHttpTransports } from '../transport/mount-transports.js';
import { mountWebSocket } from '../transport/websocket.js';
import { loadNativeUws } from './native-uws.js';
import type { NodeContext } from './node-context.js';
import { channelResolverFromConfig, clientOptionsFromConfig, tokenVerifierFromConfig } from './options-from-config.js';
import { ringcastVersion } from './version.js';

export interface StartNodeOptions {
  config: RingcastConfig;
  logger: Logger;
  /** Tests pass a manual clock and drive the timer wheel themselves. */
  clock?: Clock;
  manualTimers?: boolean;
}

export interface RunningNode {
  readonly port: number;
  readonly ctx: NodeContext;
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
  if (config.engine.type !== 'memory') {
    throw new Error(`engine.type "${config.engine.type}" is not available in this build; use "memory"`);
  }
  const clock = options.clock ?? systemClock;
  const hub = new Hub();
  const broker = new MemoryBroker({ clock, historyMetaTtlMs: config.channel.history_meta_ttl });
  const presence = new MemoryPresenceManager({ clock });
  const metrics = new Metrics({
    connections: () => hub.connections,
    users: () => hub.users,
    subscriptions: () => hub.subscriptions,
    channels: () => hub.channels,
  });
  const wheel = new TimerWheel(clock);
  const ctx: NodeContext = {
    nodeId: randomUUID(),
    nodeName: config.node.name || hostname(),
    version: ringcastVersion(),
    startedAt: clock.now(),
    client: clientOptionsFromConfig(config),
    channels: channelResolverFromConfig(config),
    tokens: tokenVerifierFromConfig(config),
    hub,
    broker,
    brokerSubs: new BrokerSubscriptions(hub, broker, logger),
    presence,
    wheel,
    clock,
    scheduler: new FlushScheduler(),
    metrics,
    logger,
  };
  await broker.run(new Fanout(hub, jsonCodec, protobufCodec, metrics));

  const app = uws.App();
  const live = new Set<Session>();
  let accepting = true;
  if (!config.websocket.disabled) {
    mountWebSocket(app, ctx, {
      path: config.websocket.handler_prefix,
      messageSizeLimit: config.websocket.message_size_limit,
      codecs: { json: jsonCodec, protobuf: protobufCodec },
      accepting: () => accepting,
      live,
    });
  }
  mountHttpTransports(app, ctx, config, { codecs: { json: jsonCodec, protobuf: protobufCodec }, accepting: () => accepting, live });
  if (!config.http_api.disabled) {
    mountApi(app, ctx, {
      prefix: config.http_api.handler_prefix,
      key: config.http_api.key,
      insecure: config.http_api.insecure,
      bodyLimit: config.ringcast.http_api.max_request_body_size,
      transportErrorMode: config.http_api.error_mode === 'transport',
    });
  }
  mountOps(app, metrics, {
    healthPath: config.health.enabled ? config.health.handler_prefix : null,
    metricsPath: config.prometheus.enabled ? config.prometheus.handler_prefix : null,
  });
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
  const driver = options.manualTimers ? undefined : startWheelDriver(wheel);
  logger.info({ port, node: ctx.nodeName, engine: config.engine.type, version: ctx.version }, 'node started');

  let stopped = false;
  return {
    port,
    ctx,
    async stop() {
      if (stopped) return;
      stopped = true;
      accepting = false;
      uws.us_listen_socket_close(listenSocket);
      const shutdown = disconnect(DisconnectCode.shutdown);
      for (const session of [...live]) session.close(shutdown);
      driver?.stop();
      await broker.close();
      await presence.close();
      logger.info({ node: ctx.nodeName }, 'node stopped');
    },
  };
}

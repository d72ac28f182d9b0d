import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Live counts a node reports; read only when Prometheus scrapes, so the hot path never touches gauges. */
export interface NodeCounts {
  connections(): number;
  users(): number;
  subscriptions(): number;
  channels(): number;
}

export type TransportName =
  | 'websocket'
  | 'http_stream'
  | 'sse'
  | 'uni_websocket'
  | 'uni_sse'
  | 'uni_http_stream'
  | 'uni_grpc'
  | 'sockjs';

/** Bucket bounds (seconds) of `nodejs_gc_duration_seconds`. */
export const gcPauseBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Per-transport message counts kept as plain numbers: sessions add to them on every write, which a
 * prom-client labelled counter would make cost a label hash each; Prometheus reads them at scrape time.
 */
export interface TransportTally {
  sent: number;
  received: number;
  /** Flushes to clients: each is one corked socket write carrying `sent`'s messages of that turn. */
  writes: number;
}

/** Per-shard Redis counts, kept as plain numbers on the hot path and read at scrape time. */
export interface RedisShardTally {
  commands: number;
  errors: number;
  reconnects: number;
  pubsubMessages: number;
  /** PUB/SUB messages skipped because they did not parse (another writer's garbage). */
  pubsubMalformed: number;
}

/** What the Redis engine reports about one shard when Prometheus scrapes. */
export interface RedisShardGauges {
  readonly name: string;
  readonly ready: boolean;
  /** Commands queued for the next auto-pipelined write plus those written and awaiting replies. */
  readonly pipelineDepth: number;
}

/** Every metric of a node, defined in one place, registered on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  private readonly tallies = new Map<TransportName, TransportTally>();
  private readonly redisTallies = new Map<string, RedisShardTally>();
  private redisGauges: () => Iterable<RedisShardGauges> = () => [];

  /** The live Redis counts of one shard (by name); the same object for every call. */
  redisShardTally(shard: string): RedisShardTally {
    let tally = this.redisTallies.get(shard);
    if (!tally) {
      tally = { commands: 0, errors: 0, reconnects: 0, pubsubMessages: 0, pubsubMalformed: 0 };
      this.redisTallies.set(shard, tally);
    }
    return tally;
  }

  /** The Redis engine's per-shard readiness and pipeline depth, read at scrape time. */
  reportRedisShards(source: () => Iterable<RedisShardGauges>): void {
    this.redisGauges = source;
  }

  readonly redisPubSubLag = new Histogram({
    name: 'ringcast_redis_pubsub_lag_seconds',
    help: 'Time from publish (the publication time another node stamped) to arrival over PUB/SUB, by shard.',
    labelNames: ['shard'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  /** The live counts of one transport; the same object for every call, so sessions can keep it. */
  transportTally(transport: TransportName): TransportTally {
    let tally = this.tallies.get(transport);
    if (!tally) this.tallies.set(transport, (tally = { sent: 0, received: 0, writes: 0 }));
    return tally;
  }
  readonly commandDuration = new Histogram({
    name: 'ringcast_client_command_duration_seconds',
    help: 'Time to handle a client command, by method.',
    labelNames: ['method'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly replyErrors = new Counter({
    name: 'ringcast_client_reply_errors_total',
    help: 'Error replies sent to clients, by method and error code.',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  readonly disconnects = new Counter({
    name: 'ringcast_client_disconnects_total',
    help: 'Client disconnects initiated by the server or the client, by disconnect code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly apiDuration = new Histogram({
    name: 'ringcast_api_command_duration_seconds',
    help: 'Time to handle a server API command, by method.',
    labelNames: ['method'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly apiDurationByMethod = new Map<string, { observe(seconds: number): void }>();

  /** The duration series of one API method, looked up once: `labels()` hashes its arguments on every call. */
  apiDurationOf(method: string): { observe(seconds: number): void } {
    let series = this.apiDurationByMethod.get(method);
    if (series === undefined) this.apiDurationByMethod.set(method, (series = this.apiDuration.labels(method)));
    return series;
  }
  readonly apiErrors = new Counter({
    name: 'ringcast_api_errors_total',
    help: 'Server API commands that returned an error, by method and error code.',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  // Proxies to the application backend, labelled as Centrifugo labels its proxy metrics: protocol (http, grpc),
  // type (connect, refresh, subscribe, publish, rpc, sub_refresh) and the proxy's name (`default` or one of
  // `proxies[]`).
  readonly proxyDuration = new Histogram({
    name: 'ringcast_proxy_duration_seconds',
    help: 'Time from sending a proxy request to its answer or failure, by protocol, type and proxy name.',
    labelNames: ['protocol', 'type', 'name'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly proxyErrors = new Counter({
    name: 'ringcast_proxy_errors_total',
    help: 'Proxy calls that gave no usable answer (clients got error 100), by protocol, type, proxy name and kind: timeout, unreachable, status, too_large, malformed.',
    labelNames: ['protocol', 'type', 'name', 'kind'] as const,
    registers: [this.registry],
  });
  readonly proxyInflight = new Gauge({
    name: 'ringcast_proxy_inflight_requests',
    help: 'Proxy requests waiting for the backend, by protocol, type and proxy name.',
    labelNames: ['protocol', 'type', 'name'] as const,
    registers: [this.registry],
  });
  readonly publications = new Counter({
    name: 'ringcast_node_publications_total',
    help: 'Publications fanned out by this node to its local subscribers.',
    registers: [this.registry],
  });

  constructor(counts: NodeCounts) {
    const registers = [this.registry];
    const tallies = this.tallies;
    new Counter({
      name: 'ringcast_transport_messages_sent_total',
      help: 'Protocol messages (replies and pushes) sent to clients, by transport.',
      labelNames: ['transport'] as const,
      registers,
      collect() {
        this.reset();
        for (const [transport, tally] of tallies) this.inc({ transport }, tally.sent);
      },
    });
    new Counter({
      name: 'ringcast_transport_writes_total',
      help: 'Socket writes to clients (one per flush, carrying one or more messages), by transport.',
      labelNames: ['transport'] as const,
      registers,
      collect() {
        this.reset();
        for (const [transport, tally] of tallies) this.inc({ transport }, tally.writes);
      },
    });
    new Counter({
      name: 'ringcast_transport_messages_received_total',
      help: 'Protocol commands received from clients, by transport.',
      labelNames: ['transport'] as const,
      registers,
      collect() {
        this.reset();
        for (const [transport, tally] of tallies) this.inc({ transport }, tally.received);
      },
    });
    new Gauge({
      name: 'ringcast_node_connections',
      help: 'Client connections on this node (the autoscaling metric).',
      registers,
      collect() {
        this.set(counts.connections());
      },
    });
    new Gauge({
      name: 'ringcast_node_users',
      help: 'Distinct users connected to this node.',
      registers,
      collect() {
        this.set(counts.users());
      },
    });
    new Gauge({
      name: 'ringcast_node_subscriptions',
      help: 'Channel subscriptions of connections on this node.',
      registers,
      collect() {
        this.set(counts.subscriptions());
      },
    });
    new Gauge({
      name: 'ringcast_node_channels',
      help: 'Channels with at least one subscriber on this node.',
      registers,
      collect() {
        this.set(counts.channels());
      },
    });
    const redisTallies = this.redisTallies;
    const redisCounter = (name: string, help: string, read: (t: RedisShardTally) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['shard'] as const,
        registers,
        collect() {
          this.reset();
          for (const [shard, tally] of redisTallies) this.inc({ shard }, read(tally));
        },
      });
    };
    redisCounter('ringcast_redis_commands_total', 'Commands sent to Redis, by shard.', (t) => t.commands);
    redisCounter('ringcast_redis_errors_total', 'Redis commands that failed and connection errors, by shard.', (t) => t.errors);
    redisCounter('ringcast_redis_reconnects_total', 'Reconnections to a Redis shard after losing it, by shard.', (t) => t.reconnects);
    redisCounter('ringcast_redis_pubsub_messages_total', 'Messages received over Redis PUB/SUB, by shard.', (t) => t.pubsubMessages);
    redisCounter(
      'ringcast_redis_pubsub_malformed_total',
      'PUB/SUB messages skipped because they did not parse, by shard.',
      (t) => t.pubsubMalformed,
    );
    const shardGauges = (): Iterable<RedisShardGauges> => this.redisGauges();
    new Gauge({
      name: 'ringcast_redis_shard_ready',
      help: 'Whether this node is connected to the Redis shard (commands and PUB/SUB), by shard.',
      labelNames: ['shard'] as const,
      registers,
      collect() {
        this.reset();
        for (const shard of shardGauges()) this.set({ shard: shard.name }, shard.ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ringcast_redis_pipeline_depth',
      help: 'Redis commands queued or awaiting replies on the command connection, by shard.',
      labelNames: ['shard'] as const,
      registers,
      collect() {
        this.reset();
        for (const shard of shardGauges()) this.set({ shard: shard.name }, shard.pipelineDepth);
      },
    });
    // GC pauses in finer buckets than prom-client's (1 ms, 10 ms, …): pauses here are mostly well under 1 ms,
    // and the tail that matters for delivery latency sits between 1 and 50 ms.
    collectDefaultMetrics({ register: this.registry, gcDurationBuckets: gcPauseBuckets });
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Live counts a node reports; read only when Prometheus scrapes, so the hot path never touches gauges. */
export interface NodeCounts {
  connections(): number;
  users(): number;
  subscriptions(): number;
  channels(): number;
}

export type TransportName = 'websocket' | 'http_stream' | 'sse' | 'uni_websocket' | 'uni_sse' | 'uni_http_stream';

/**
 * Per-transport message counts kept as plain numbers: sessions add to them on every write, which a
 * prom-client labelled counter would make cost a label hash each; Prometheus reads them at scrape time.
 */
export interface TransportTally {
  sent: number;
  received: number;
}

/** Every metric of a node, defined in one place, registered on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  private readonly tallies = new Map<TransportName, TransportTally>();

  /** The live counts of one transport; the same object for every call, so sessions can keep it. */
  transportTally(transport: TransportName): TransportTally {
    let tally = this.tallies.get(transport);
    if (!tally) this.tallies.set(transport, (tally = { sent: 0, received: 0 }));
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
  readonly apiErrors = new Counter({
    name: 'ringcast_api_errors_total',
    help: 'Server API commands that returned an error, by method and error code.',
    labelNames: ['method', 'code'] as const,
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
    collectDefaultMetrics({ register: this.registry });
  }
}

// The shapes the page reads: server API results (Centrifugo's JSON) and the admin-only ring report.

export interface NodeInfo {
  uid: string;
  name: string;
  version: string;
  num_clients?: number;
  num_users?: number;
  num_subs?: number;
  num_channels?: number;
  uptime?: number;
  process?: { cpu: number; rss: number };
}

export interface ChannelsResult {
  channels: Record<string, { num_clients?: number }>;
}

export interface Publication {
  data: unknown;
  info?: ClientInfo;
  offset?: number;
  tags?: Record<string, string>;
}

export interface HistoryResult {
  publications?: Publication[];
  offset?: number;
  epoch?: string;
}

export interface ClientInfo {
  client: string;
  user?: string;
  conn_info?: unknown;
  chan_info?: unknown;
}

export interface PresenceResult {
  presence: Record<string, ClientInfo>;
}

export interface ConnectionReport {
  app_name?: string;
  app_version?: string;
  transport: string;
  protocol: string;
  user: string;
  state: { channels: Record<string, { source: number }> };
  connected_at_ms: number;
}

export interface ShardReport {
  index: number;
  name: string;
  address: string;
  ready: boolean;
}

export interface RingAnswer {
  engine: 'memory' | 'redis' | 'other';
  node: string;
  ring?: { version: number; shards: ShardReport[] };
  /** Channels with subscribers per shard index (asked with `channels: true`). */
  channels_per_shard?: number[];
}

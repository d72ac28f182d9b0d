// Typed mirror of the Centrifugo client protocol v2 (PROTOCOL.md). Field names follow the wire's JSON names so
// the two codecs share one model. `Bytes` fields carry raw JSON text in JSON mode and raw bytes in protobuf.
export type Bytes = Uint8Array;

export interface ErrorReply {
  code: number;
  message: string;
  temporary?: boolean;
}

export interface ClientInfo {
  user: string;
  client: string;
  conn_info?: Bytes;
  chan_info?: Bytes;
}

export interface Publication {
  data: Bytes;
  info?: ClientInfo;
  offset?: number;
  tags?: Record<string, string>;
  delta?: boolean;
  time?: number;
  channel?: string;
  /** The stream's epoch, on publications from a history stream (field 14). */
  epoch?: string;
}

export interface StreamPosition {
  offset: number;
  epoch: string;
}

// ---- requests ----
export interface ConnectRequest {
  token?: string;
  data?: Bytes;
  subs?: Record<string, SubscribeRequest>;
  name?: string;
  version?: string;
  headers?: Record<string, string>;
}
export interface SubscribeRequest {
  channel: string;
  token?: string;
  recover?: boolean;
  epoch?: string;
  offset?: number;
  data?: Bytes;
  positioned?: boolean;
  recoverable?: boolean;
  join_leave?: boolean;
  delta?: string;
  flag?: number;
}
export interface UnsubscribeRequest { channel: string }
export interface PublishRequest { channel: string; data: Bytes }
export interface PresenceRequest { channel: string }
export interface PresenceStatsRequest { channel: string }
export interface HistoryRequest { channel: string; limit?: number; since?: StreamPosition; reverse?: boolean }
export interface RpcRequest { data?: Bytes; method?: string }
export interface SendRequest { data?: Bytes }
export interface RefreshRequest { token: string }
export interface SubRefreshRequest { channel: string; token: string }

/** One decoded client command; exactly one request field is set, none for a pong. */
export interface Command {
  id: number;
  connect?: ConnectRequest;
  subscribe?: SubscribeRequest;
  unsubscribe?: UnsubscribeRequest;
  publish?: PublishRequest;
  presence?: PresenceRequest;
  presence_stats?: PresenceStatsRequest;
  history?: HistoryRequest;
  /** Legacy ping command (field 11): unsupported in protocol v2, the session disconnects with 3501. */
  ping?: Record<string, never>;
  send?: SendRequest;
  rpc?: RpcRequest;
  refresh?: RefreshRequest;
  sub_refresh?: SubRefreshRequest;
}

// ---- results ----
export interface ConnectResult {
  client: string;
  version: string;
  expires?: boolean;
  ttl?: number;
  data?: Bytes;
  subs?: Record<string, SubscribeResult>;
  ping?: number;
  pong?: boolean;
  session?: string;
  node?: string;
  time?: number;
}
export interface SubscribeResult {
  expires?: boolean;
  ttl?: number;
  recoverable?: boolean;
  epoch?: string;
  publications?: Publication[];
  recovered?: boolean;
  offset?: number;
  positioned?: boolean;
  data?: Bytes;
  was_recovering?: boolean;
  delta?: boolean;
  /** Channel compaction: the id later pushes of this subscription carry instead of the channel name. */
  id?: number;
}
export type UnsubscribeResult = Record<string, never>;
export type PublishResult = Record<string, never>;
export interface PresenceResult { presence: Record<string, ClientInfo> }
export interface PresenceStatsResult { num_clients: number; num_users: number }
export interface HistoryResult { publications: Publication[]; epoch: string; offset: number }
export interface RpcResult { data?: Bytes }
export interface RefreshResult { client?: string; version?: string; expires?: boolean; ttl?: number }
export interface SubRefreshResult { expires?: boolean; ttl?: number }

// ---- pushes ----
export interface JoinPush { info: ClientInfo }
export interface LeavePush { info: ClientInfo }
export interface UnsubscribePush { code: number; reason: string }
export interface SubscribePush {
  recoverable?: boolean;
  epoch?: string;
  offset?: number;
  positioned?: boolean;
  data?: Bytes;
}
export interface MessagePush { data: Bytes }
export interface DisconnectPush { code: number; reason: string; reconnect?: boolean }
export interface RefreshPush { expires?: boolean; ttl?: number }

export interface Push {
  /** Channel compaction: the subscription's numeric channel id, sent instead of `channel`. */
  id?: number;
  channel?: string;
  pub?: Publication;
  join?: JoinPush;
  leave?: LeavePush;
  unsubscribe?: UnsubscribePush;
  message?: MessagePush;
  subscribe?: SubscribePush;
  connect?: ConnectResult;
  disconnect?: DisconnectPush;
  refresh?: RefreshPush;
}

/** A reply to a command (`id` > 0), a push (no id), or — when empty — the server's ping. */
export interface Reply {
  id?: number;
  error?: ErrorReply;
  push?: Push;
  connect?: ConnectResult;
  subscribe?: SubscribeResult;
  unsubscribe?: UnsubscribeResult;
  publish?: PublishResult;
  presence?: PresenceResult;
  presence_stats?: PresenceStatsResult;
  history?: HistoryResult;
  rpc?: RpcResult;
  refresh?: RefreshResult;
  sub_refresh?: SubRefreshResult;
}

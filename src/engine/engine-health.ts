/** One backend server of an engine (a Redis or Tarantool shard, the NATS server) as `/health` reports it. */
export interface ShardHealth {
  name: string;
  ready: boolean;
}

export interface EngineHealth {
  /** At least one of the engine's servers is connected (the node can serve some channels). */
  ready: boolean;
  /** The ring's version when the engine follows a changing ring; undefined for a fixed list. */
  ringVersion: number | undefined;
  shards: ShardHealth[];
}

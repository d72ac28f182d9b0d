import type { RingcastConfig } from './config-schema.js';

export type BrokerKind = 'memory' | 'redis' | 'nats' | 'tarantool';
export type PresenceKind = 'memory' | 'redis' | 'presence-manager-redis' | 'tarantool';

/** Which broker and presence manager a node runs, from `engine` and Centrifugo's `broker` / `presence_manager`. */
export interface EngineSelection {
  broker: BrokerKind;
  /** `redis`: the engine's ring (`engine.redis`); `presence-manager-redis`: `presence_manager.redis`. */
  presence: PresenceKind;
}

/**
 * Centrifugo's rule: an enabled `broker` replaces the engine's broker and an enabled `presence_manager` the
 * engine's presence manager. `engine.type: "nats"` is Ringcast's shorthand for the NATS broker (`broker.nats`
 * settings) with the memory presence manager.
 */
export function engineSelection(config: RingcastConfig): EngineSelection {
  const engine = config.engine.type;
  let broker: BrokerKind;
  if (config.broker.enabled) broker = config.broker.type === 'nats' ? 'nats' : 'memory';
  else broker = engine;
  let presence: PresenceKind;
  if (config.presence_manager.enabled) presence = config.presence_manager.type === 'redis' ? 'presence-manager-redis' : 'memory';
  else presence = engine === 'nats' ? 'memory' : engine;
  return { broker, presence };
}

/** How long a presence entry lives unless refreshed: the presence backend's `presence_ttl`. */
export function presenceTtlMs(config: RingcastConfig): number {
  switch (engineSelection(config).presence) {
    case 'presence-manager-redis':
      return config.presence_manager.redis.presence_ttl;
    case 'tarantool':
      return config.engine.tarantool.presence_ttl;
    default:
      return config.engine.redis.presence_ttl;
  }
}

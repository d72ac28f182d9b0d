import type { SubscribeOverride } from '../../src/auth/token-claims.js';
import type { Bytes } from '../../src/protocol/client-protocol.js';
import type { ChannelAccessOptions } from './channel-access.js';

/**
 * How one subscription behaves, decided once when it starts. Every source of a subscription fills it the
 * same way Centrifugo does: the namespace's `force_*` options first, then a token's or the server API's
 * `override`, then (client subscribes only) what the client asked for and may have.
 */
export interface SubscribeOptions {
  /** The subscriber enters the channel's presence set. */
  emitPresence: boolean;
  /** The subscriber's arrival and departure are published as join/leave. */
  emitJoinLeave: boolean;
  /** The subscriber receives join/leave pushes. */
  pushJoinLeave: boolean;
  /** Recovery is allowed (the reply says `recoverable`); implies positioning. */
  recovery: boolean;
  positioning: boolean;
  chanInfo: Bytes | undefined;
  /** Sent in the subscribe reply or push. */
  data: Bytes | undefined;
  /** ms since the epoch; 0 = never. */
  expireAt: number;
}

/** The options a namespace forces on every subscription of its channels. */
export function namespaceSubscribeOptions(options: ChannelAccessOptions): SubscribeOptions {
  return {
    emitPresence: options.presence,
    emitJoinLeave: options.join_leave,
    pushJoinLeave: options.force_push_join_leave,
    recovery: options.force_recovery,
    positioning: options.force_positioning,
    chanInfo: undefined,
    data: undefined,
    expireAt: 0,
  };
}

/** Applies a token's or the server API's per-subscription `override` of the namespace options. */
export function applyOverride(target: SubscribeOptions, override: SubscribeOverride | undefined): SubscribeOptions {
  if (!override) return target;
  if (override.presence !== undefined) target.emitPresence = override.presence;
  if (override.join_leave !== undefined) target.emitJoinLeave = override.join_leave;
  if (override.force_push_join_leave !== undefined) target.pushJoinLeave = override.force_push_join_leave;
  if (override.force_recovery !== undefined) target.recovery = override.force_recovery;
  if (override.force_positioning !== undefined) target.positioning = override.force_positioning;
  return target;
}

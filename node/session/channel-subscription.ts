import type { Bytes } from '../../src/protocol/client-protocol.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';
import type { ChannelAccessOptions } from './channel-access.js';
import type { SubscribeOptions } from './subscribe-options.js';

/** A publication frame held back while its subscription is being set up; offset 0 = not from a stream. */
export interface HeldFrame {
  frame: EncodedFrame;
  offset: number;
  epoch: string;
}

/** A session's subscription to one channel. */
export interface ChannelSubscription {
  readonly channel: string;
  readonly options: ChannelAccessOptions;
  /** Publications held back until the subscribe reply (or push) has been queued; null once live. */
  held: HeldFrame[] | null;
  /** Subscription expiry in ms since the epoch (from a subscription token); 0 = never. */
  expireAt: number;
  chanInfo: Bytes | undefined;
  /** Whether this subscriber gets join/leave pushes. */
  pushJoinLeave: boolean;
  /** Whether this subscriber enters the channel's presence set (namespace `presence` or an override). */
  emitPresence: boolean;
  /** Whether this subscriber's arrival and departure are published (namespace `join_leave` or an override). */
  emitJoinLeave: boolean;
  /** Whether this subscriber's arrival and departure are announced as join/leave. */
  announceJoinLeave: boolean;
  /** Whether the session is in the channel's presence set. */
  inPresence: boolean;
  /** Positioned (or recoverable) subscriptions check every offset and disconnect on a gap. */
  positioned: boolean;
  /** Offset of the last publication sent on this subscription (streams only). */
  offset: number;
  epoch: string;
  /** Fossil delta negotiated for this subscription. */
  delta: boolean;
  /** Chosen by the server (token claims, server API) rather than asked for by the client. */
  serverSide: boolean;
  /** The stream was interrupted while the subscription was being set up: recover once it is live. */
  interruptedDuringSetup?: boolean;
  /** Channel compaction negotiated: pushes carry the node's numeric channel id instead of the name. */
  useId: boolean;
  /** Named by the connection token (`channels`/`subs`): a refresh token that no longer names it ends the connection. */
  fromConnectionToken: boolean;
  /**
   * The namespace's sub_refresh proxy refreshes this subscription at its expiry (Centrifugo's server-side
   * subscription refresh): the reply carries no expiry and a client `sub_refresh` is a protocol violation.
   */
  serverSideRefresh: boolean;
  /** A sub_refresh proxy call for this subscription is in flight. */
  refreshing: boolean;
}

/** A new, not yet active subscription of `channel` with the options decided for it. */
export function createSubscription(
  channel: string,
  options: ChannelAccessOptions,
  decided: SubscribeOptions,
  negotiated: { delta: boolean; useId: boolean; serverSide: boolean; fromConnectionToken?: boolean; serverSideRefresh?: boolean },
): ChannelSubscription {
  return {
    channel,
    options,
    held: [],
    expireAt: decided.expireAt,
    chanInfo: decided.chanInfo,
    pushJoinLeave: decided.pushJoinLeave,
    emitPresence: decided.emitPresence,
    emitJoinLeave: decided.emitJoinLeave,
    announceJoinLeave: false,
    inPresence: false,
    positioned: decided.recovery || decided.positioning,
    offset: 0,
    epoch: '',
    delta: negotiated.delta,
    useId: negotiated.useId,
    serverSide: negotiated.serverSide,
    fromConnectionToken: negotiated.fromConnectionToken ?? false,
    serverSideRefresh: negotiated.serverSideRefresh ?? false,
    refreshing: false,
  };
}

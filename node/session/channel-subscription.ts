import type { Bytes } from '../../src/protocol/client-protocol.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';
import type { ChannelAccessOptions } from './channel-access.js';

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
}

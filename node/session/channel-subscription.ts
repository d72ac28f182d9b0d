import type { Bytes } from '../../src/protocol/client-protocol.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';
import type { ChannelAccessOptions } from './channel-access.js';

/** A session's subscription to one channel. */
export interface ChannelSubscription {
  readonly channel: string;
  readonly options: ChannelAccessOptions;
  /** Publications held back until the subscribe reply (or push) has been queued; null once live. */
  held: EncodedFrame[] | null;
  /** Subscription expiry in ms since the epoch (from a subscription token); 0 = never. */
  expireAt: number;
  chanInfo: Bytes | undefined;
  /** Whether this subscriber gets join/leave pushes. */
  pushJoinLeave: boolean;
  /** Whether this subscriber's arrival and departure are announced as join/leave. */
  announceJoinLeave: boolean;
}

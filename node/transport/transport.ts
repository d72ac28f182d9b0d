import type { EncodedFrame, ProtocolName } from '../../src/protocol/codec.js';
import type { Disconnect } from '../../src/protocol/codes.js';
import type { TransportName } from '../../src/observability/metrics.js';

/** One client connection's way out: frames go in order, a close carries a disconnect code and reason. */
export interface Transport {
  readonly name: TransportName;
  readonly protocol: ProtocolName;
  /** Writes frames in one go (corked); several protocol messages may share a frame. */
  writeFrames(frames: readonly EncodedFrame[]): void;
  /** Bytes queued in user space and not yet accepted by the kernel. */
  bufferedAmount(): number;
  /** Closes with the disconnect (WebSocket: close frame with code and reason). Idempotent. */
  close(disconnect: Disconnect): void;
}

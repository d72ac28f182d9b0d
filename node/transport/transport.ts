import type { EncodedFrame, ProtocolName } from '../../src/protocol/codec.js';
import type { Disconnect } from '../../src/protocol/codes.js';
import type { TransportName } from '../../src/observability/metrics.js';

/** One client connection's way out: frames go in order, a close carries a disconnect code and reason. */
export interface Transport {
  readonly name: TransportName;
  readonly protocol: ProtocolName;
  /**
   * The session id of an emulation or unidirectional connection (a random id, not the client id, which
   * other clients see in presence). The connect result carries it as `session`.
   */
  readonly sessionId?: string;
  /** HTTP-streaming/SSE: commands arrive through `POST /emulation`; the connect result also names the node. */
  readonly emulation?: boolean;
  /** uni_* transports: pushes only, no pongs expected, connect errors become disconnects. */
  readonly unidirectional?: boolean;
  /**
   * Writes frames in one go (corked); several protocol messages may share a frame. The array is the caller's
   * and is reused after the call: copy what must outlive it.
   */
  writeFrames(frames: readonly EncodedFrame[]): void;
  /** Bytes queued in user space and not yet accepted by the kernel. */
  bufferedAmount(): number;
  /**
   * Closes with the disconnect (WebSocket: close frame with code and reason). Idempotent. `connectError` is the
   * error a refused connect of a unidirectional client was mapped from, for transports that answer it as HTTP.
   */
  close(disconnect: Disconnect, connectError?: { code: number; message: string }): void;
}

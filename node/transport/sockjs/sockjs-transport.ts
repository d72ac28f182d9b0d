import { DisconnectCode, type Disconnect } from '../../../src/protocol/codes.js';
import type { EncodedFrame } from '../../../src/protocol/codec.js';
import type { Transport } from '../transport.js';
import type { SockjsSession } from './sockjs-session.js';

/**
 * A SockJS session as a client session's transport: each JSON protocol frame is one SockJS message; a disconnect is
 * SockJS's close frame with the disconnect's code and reason (what sockjs-client reports in its close event).
 */
export class SockjsTransport implements Transport {
  readonly name = 'sockjs' as const;
  readonly protocol = 'json' as const;

  constructor(private readonly sockjs: SockjsSession) {}

  writeFrames(frames: readonly EncodedFrame[]): void {
    this.sockjs.sendMessages(frames as readonly string[]);
  }

  bufferedAmount(): number {
    return this.sockjs.bufferedAmount();
  }

  close(d: Disconnect): void {
    // A client closed by itself is gone already; nothing more can reach it.
    if (d.code === DisconnectCode.connectionClosed && this.sockjs.closed) return;
    this.sockjs.close(d.code, d.reason);
  }
}

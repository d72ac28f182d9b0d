import type { WebSocket } from 'uWebSockets.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';

/** uWS `send` answers: 0 backpressure (bytes left queued in user space), 1 success, 2 dropped. */
const sendSuccess = 1;

/**
 * The write side shared by the WebSocket transports. One flush's frames become one or more WebSocket messages;
 * several are sent inside one cork so they leave in one syscall. A single message (the common case: frames
 * are joined) is sent outside a cork: uWS corks and uncorks around it itself, still one syscall, without the
 * cork's callback into JavaScript. Writes after close are dropped.
 */
export abstract class CorkedWebSocket<UserData> {
  closed = false;
  /** False when the last write was taken whole by the kernel: then uWS holds nothing queued for this socket. */
  private mayHaveQueued = false;
  private batch: readonly EncodedFrame[] = [];
  private readonly sendBatch = (): void => {
    for (const message of this.batch) this.ws.send(message, this.binary);
  };

  constructor(protected readonly ws: WebSocket<UserData>) {}

  /** Whether messages are binary (protobuf) frames rather than text. */
  protected abstract readonly binary: boolean;

  /** The WebSocket messages that carry one flush's frames. */
  protected abstract messages(frames: readonly EncodedFrame[]): readonly EncodedFrame[];

  writeFrames(frames: readonly EncodedFrame[]): void {
    if (this.closed) return;
    const messages = this.messages(frames);
    if (messages.length === 1) {
      // Outside a cork, uWS reports whether the kernel took the whole frame.
      this.mayHaveQueued = this.ws.send(messages[0]!, this.binary) !== sendSuccess;
      return;
    }
    this.batch = messages;
    this.ws.cork(this.sendBatch);
    this.batch = [];
    // Inside a cork uWS answers before the syscall, so what it left queued is unknown.
    this.mayHaveQueued = true;
  }

  bufferedAmount(): number {
    return this.closed || !this.mayHaveQueued ? 0 : this.ws.getBufferedAmount();
  }
}

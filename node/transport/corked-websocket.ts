import type { WebSocket } from 'uWebSockets.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';

/**
 * The write side shared by the WebSocket transports: frames queued in one flush are sent inside one cork,
 * so they leave in one syscall; writes after close are dropped.
 */
export abstract class CorkedWebSocket<UserData> {
  closed = false;
  private batch: readonly EncodedFrame[] = [];
  private readonly sendBatch = (): void => this.sendFrames(this.batch);

  constructor(protected readonly ws: WebSocket<UserData>) {}

  /** Sends one flush's frames; called inside the cork. */
  protected abstract sendFrames(frames: readonly EncodedFrame[]): void;

  writeFrames(frames: readonly EncodedFrame[]): void {
    if (this.closed) return;
    this.batch = frames;
    this.ws.cork(this.sendBatch);
    this.batch = [];
  }

  bufferedAmount(): number {
    return this.closed ? 0 : this.ws.getBufferedAmount();
  }
}

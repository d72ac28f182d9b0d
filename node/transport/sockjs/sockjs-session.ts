import type { TimerEntry, TimerTarget, TimerWheel } from '../../../src/timing/timer-wheel.js';
import { anotherConnectionFrame, closeFrame, heartbeatFrame, messageFrame, openFrame } from './sockjs-frames.js';

/** Where a SockJS session's frames go: an HTTP response (streaming or one poll) or a WebSocket. */
export interface SockjsReceiver {
  /** Streaming receivers take many frames; a polling one answers one frame and ends. */
  readonly streaming: boolean;
  /** Writes one frame with the transport's delimiters; returns the bytes written. */
  send(frame: string): number;
  /** Ends the response or closes the socket (after the frames written). */
  end(): void;
  bufferedAmount(): number;
}

export interface SockjsSessionOptions {
  wheel: TimerWheel;
  /** ms between heartbeat frames while a receiver waits and nothing else is sent. */
  heartbeatDelayMs: number;
  /** ms a session lives without a receiver (client gone), and a closed one keeps answering its close frame. */
  disconnectDelayMs: number;
  /** Bytes after which a streaming HTTP response is ended so the client opens a new one (proxies buffer less). */
  responseLimit: number;
  /** The client went away without a close: no receiver within the disconnect delay, or its WebSocket closed. */
  onClientGone(session: SockjsSession): void;
  /** The session is forgotten (after its close frame had time to be read). */
  onRemoved(session: SockjsSession): void;
}

const enum SockjsTimer {
  Heartbeat = 1,
  Gone = 2,
}

/**
 * One SockJS session: the messages for the client queue here until a receiver takes them; a receiver arriving
 * while another is attached gets close frame 2010; once closed, every receiver gets the close frame.
 * `reattachable`: HTTP transports, whose receivers come and go (a WebSocket session ends with its socket).
 */
export class SockjsSession implements TimerTarget {
  private receiver: SockjsReceiver | null = null;
  private receiverBytes = 0;
  private queue: string[] = [];
  private queuedBytes = 0;
  private opened = false;
  private closing: string | null = null;
  private heartbeatTimer: TimerEntry | undefined;
  private goneTimer: TimerEntry | undefined;

  constructor(
    readonly id: string,
    private readonly options: SockjsSessionOptions,
    readonly reattachable: boolean,
  ) {
    this.heartbeatTimer = options.wheel.schedule(options.heartbeatDelayMs, this, SockjsTimer.Heartbeat);
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  /** A receiver arrived: it gets the open frame (first time), what queued, or the close frame. */
  attach(receiver: SockjsReceiver): void {
    if (this.closing !== null) {
      this.flushInto(receiver, [this.closing]);
      receiver.end();
      return;
    }
    if (this.receiver) {
      receiver.send(anotherConnectionFrame);
      receiver.end();
      return;
    }
    this.options.wheel.cancel(this.goneTimer);
    this.goneTimer = undefined;
    this.receiver = receiver;
    this.receiverBytes = 0;
    if (!this.opened) {
      this.opened = true;
      this.write(openFrame);
      return;
    }
    if (this.queue.length > 0) this.flushQueue();
  }

  /** The receiver's client went away (the response was aborted, the socket closed). */
  receiverGone(receiver: SockjsReceiver): void {
    if (this.receiver !== receiver) return;
    this.receiver = null;
    if (!this.reattachable) {
      this.expire();
      return;
    }
    this.armGone();
  }

  /** Messages for the client (JSON protocol frames), written now or queued for the next receiver. */
  sendMessages(messages: readonly string[]): void {
    if (this.closing !== null || messages.length === 0) return;
    for (const message of messages) {
      this.queue.push(message);
      this.queuedBytes += message.length;
    }
    if (this.receiver) this.flushQueue();
  }

  bufferedAmount(): number {
    return this.queuedBytes + (this.receiver?.bufferedAmount() ?? 0);
  }

  /** Server-side close: what is queued, then the close frame, to the receiver now or the next one. */
  close(code: number, reason: string): void {
    if (this.closing !== null) return;
    this.closing = closeFrame(code, reason);
    this.options.wheel.cancel(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const receiver = this.receiver;
    if (receiver) {
      this.receiver = null;
      this.flushInto(receiver, [this.closing]);
      receiver.end();
    }
    if (this.reattachable) this.armGone();
    else this.remove();
  }

  onTimer(kind: number): void {
    if (kind === SockjsTimer.Heartbeat) {
      this.heartbeatTimer = this.options.wheel.schedule(this.options.heartbeatDelayMs, this, SockjsTimer.Heartbeat);
      if (this.receiver) this.write(heartbeatFrame);
      return;
    }
    this.goneTimer = undefined;
    if (this.receiver) return;
    if (this.closing !== null) this.remove();
    else this.expire();
  }

  private armGone(): void {
    this.options.wheel.cancel(this.goneTimer);
    this.goneTimer = this.options.wheel.schedule(this.options.disconnectDelayMs, this, SockjsTimer.Gone);
  }

  private expire(): void {
    this.closing = closeFrame(1002, 'Connection interrupted');
    this.options.wheel.cancel(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    this.options.onClientGone(this);
    this.remove();
  }

  private remove(): void {
    this.options.wheel.cancel(this.goneTimer);
    this.goneTimer = undefined;
    this.options.onRemoved(this);
  }

  private flushQueue(): void {
    const frame = messageFrame(this.queue);
    this.queue = [];
    this.queuedBytes = 0;
    this.write(frame);
  }

  /** A receiver that ends right away gets what queued before the final frames, in one answer. */
  private flushInto(receiver: SockjsReceiver, finalFrames: readonly string[]): void {
    if (this.queue.length > 0) {
      receiver.send(messageFrame(this.queue));
      this.queue = [];
      this.queuedBytes = 0;
    }
    for (const frame of finalFrames) receiver.send(frame);
  }

  /** Writes to the attached receiver; a poll ends after one frame, a stream after the response limit. */
  private write(frame: string): void {
    const receiver = this.receiver;
    if (!receiver) return;
    this.receiverBytes += receiver.send(frame);
    if (!receiver.streaming || (this.reattachable && this.receiverBytes >= this.options.responseLimit)) {
      this.receiver = null;
      receiver.end();
      this.armGone();
    }
  }
}

import { StreamResponse } from '../../http/stream-response.js';
import type { SockjsReceiver } from './sockjs-session.js';

/** The ways an HTTP response carries SockJS frames: as lines of a stream or one poll, or as SSE events. */
export type HttpReceiverKind = 'xhr_streaming' | 'xhr' | 'eventsource';

const noCache = 'no-store, no-cache, no-transform, must-revalidate, max-age=0';

export function receiverHeaders(kind: HttpReceiverKind, cors: Record<string, string>): Record<string, string> {
  const contentType = kind === 'eventsource' ? 'text/event-stream' : 'application/javascript; charset=UTF-8';
  return { 'Content-Type': contentType, 'Cache-Control': noCache, 'X-Accel-Buffering': 'no', ...cors };
}

/** What a streaming response starts with: 2 KiB so browsers hand the stream to scripts at once; SSE a line break. */
function prelude(kind: HttpReceiverKind): string {
  if (kind === 'xhr_streaming') return 'h'.repeat(2048) + '\n';
  if (kind === 'eventsource') return '\r\n';
  return '';
}

/** A receiver on a StreamResponse; `onGone` is called if the client drops the response. */
export class HttpReceiver implements SockjsReceiver {
  readonly streaming: boolean;

  constructor(
    private readonly stream: StreamResponse,
    private readonly kind: HttpReceiverKind,
  ) {
    this.streaming = kind !== 'xhr';
    const start = prelude(kind);
    if (start !== '') stream.start(start);
  }

  send(frame: string): number {
    const chunk = this.kind === 'eventsource' ? `data: ${frame}\r\n\r\n` : `${frame}\n`;
    this.stream.write(chunk);
    return chunk.length;
  }

  end(): void {
    this.stream.end();
  }

  bufferedAmount(): number {
    return this.stream.bufferedAmount();
  }
}

/** Bytes a backpressured stream may be topped up with: a heartbeat frame (or an empty SSE line) the client ignores. */
export function receiverFiller(kind: HttpReceiverKind): string {
  return kind === 'eventsource' ? '\r\n' : 'h\n';
}

import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { TransportName } from '../../src/observability/metrics.js';
import type { Codec, EncodedFrame, ProtocolName } from '../../src/protocol/codec.js';
import { DisconnectCode, type Disconnect } from '../../src/protocol/codes.js';
import type { StreamResponse } from '../http/stream-response.js';
import type { StreamFormat } from './stream-format.js';
import type { Transport } from './transport.js';

export interface StreamingTransportOptions {
  name: TransportName;
  protocol: ProtocolName;
  /** The session's codec: encodes the disconnect push (a Reply push, or a bare push when unidirectional). */
  codec: Codec;
  format: StreamFormat;
  emulation: boolean;
  unidirectional: boolean;
  /** Unidirectional HTTP transports: answer a refused connect as an HTTP response (null: off). */
  connectCodeToHttp?: ConnectCodeToHttp | null;
}

/** `<transport>.connect_code_to_http_response` of a unidirectional HTTP transport. */
export interface ConnectCodeToHttp {
  transforms: ReadonlyArray<{ code: number; to: { status_code: number; body: string } }>;
}

/**
 * A streamed HTTP response (HTTP-streaming or SSE, bidirectional through emulation or unidirectional) as a
 * session's transport. There is no close frame: a disconnect is sent as a Disconnect push, then the
 * response ends.
 */
export class StreamingTransport implements Transport {
  readonly name: TransportName;
  readonly protocol: ProtocolName;
  readonly sessionId = randomUUID();
  readonly emulation: boolean;
  readonly unidirectional: boolean;
  /** Called once when the server closes the transport (the client going away is the stream's own event). */
  onClose: () => void = () => undefined;
  private closed = false;

  constructor(
    private readonly stream: StreamResponse,
    private readonly options: StreamingTransportOptions,
  ) {
    this.name = options.name;
    this.protocol = options.protocol;
    this.emulation = options.emulation;
    this.unidirectional = options.unidirectional;
  }

  writeFrames(frames: readonly EncodedFrame[]): void {
    this.stream.write(this.options.format.encode(frames));
  }

  bufferedAmount(): number {
    return this.stream.bufferedAmount();
  }

  close(d: Disconnect, connectError?: { code: number; message: string }): void {
    if (this.closed) return;
    this.closed = true;
    const mapping = this.options.connectCodeToHttp;
    if (mapping && !this.stream.started) {
      // Centrifugo's rule: the first transform for the connect's own code (error or disconnect) decides the
      // status, and its body or else the error message/reason; no match is a plain 500.
      const code = connectError?.code ?? d.code;
      const transform = mapping.transforms.find((t) => t.code === code);
      if (transform) {
        const status = transform.to.status_code;
        this.stream.reject(`${status} ${STATUS_CODES[status] ?? ''}`.trim(), transform.to.body || (connectError?.message ?? d.reason));
      } else {
        this.stream.reject('500 Internal Server Error', 'Internal Server Error');
      }
    } else if (d.code === DisconnectCode.slow) {
      // What a slow client has not read is not worth sending; it recovers from history on reconnect.
      this.stream.abort();
    } else if (d.code === DisconnectCode.connectionClosed) {
      this.stream.end();
    } else {
      const push = this.options.codec.encodeReply({ push: { disconnect: { code: d.code, reason: d.reason } } });
      this.stream.end(this.options.format.encode([push]));
    }
    this.onClose();
  }
}

import { randomUUID } from 'node:crypto';
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

  close(d: Disconnect): void {
    if (this.closed) return;
    this.closed = true;
    if (d.code === DisconnectCode.slow) {
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

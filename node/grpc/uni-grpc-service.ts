import { randomUUID } from 'node:crypto';
import { status, type Server, type ServerWritableStream, type ServiceDefinition } from '@grpc/grpc-js';
import { loadGrpcService } from '../../src/grpc/load-proto.js';
import type { EncodedFrame } from '../../src/protocol/codec.js';
import { DisconnectCode, type Disconnect } from '../../src/protocol/codes.js';
import { decodeConnectCommand } from '../../src/protocol/protobuf-decode.js';
import { splitDelimited, uniProtobufCodec } from '../../src/protocol/uni-protobuf-codec.js';
import type { Session, SessionContext } from '../session/session.js';
import { openSession } from '../session/open-session.js';
import type { Transport } from '../transport/transport.js';

export const uniStreamProtoFile = 'centrifugo-unistream.proto';
export const uniStreamServiceName = 'centrifugal.centrifugo.unistream.CentrifugoUniStream';

type ConsumeCall = ServerWritableStream<Buffer, Uint8Array>;

/**
 * One `Consume` stream as a session's transport: every Push is its own gRPC message, already encoded by the
 * session's codec (bare Pushes, length-prefixed within a frame). A disconnect is sent as a Disconnect push, then
 * the stream ends with status OK. Pings are empty Pushes, unanswered, as on the other uni transports.
 */
class UniGrpcTransport implements Transport {
  readonly name = 'uni_grpc' as const;
  readonly protocol = 'protobuf' as const;
  readonly sessionId = randomUUID();
  readonly unidirectional = true;
  closed = false;
  private pending = 0;

  constructor(private readonly call: ConsumeCall) {}

  writeFrames(frames: readonly EncodedFrame[]): void {
    if (this.closed) return;
    for (const frame of frames) {
      // An empty message is a ping (the empty Push), as Centrifugo sends them on this stream too.
      for (const message of splitDelimited(frame as Uint8Array)) {
        this.pending += message.length;
        this.call.write(message, () => {
          this.pending -= message.length;
        });
      }
    }
  }

  bufferedAmount(): number {
    return this.pending;
  }

  close(d: Disconnect): void {
    if (this.closed) return;
    this.closed = true;
    if (d.code !== DisconnectCode.slow && d.code !== DisconnectCode.connectionClosed) {
      const push = uniProtobufCodec.encodeReply({ push: { disconnect: { code: d.code, reason: d.reason } } }) as Uint8Array;
      for (const message of splitDelimited(push)) this.call.write(message);
    }
    this.call.end();
  }
}

export interface UniGrpcOptions {
  accepting(): boolean;
  live: Set<Session>;
}

/**
 * Adds Centrifugo's CentrifugoUniStream service: `Consume(ConnectRequest)` opens a session whose first command is
 * that request and streams its pushes (Connect first). Messages pass through undecoded by grpc-js: the request
 * goes to the client protocol's decoder, the pushes come encoded by the session's codec.
 */
export function addUniGrpcService(server: Server, ctx: SessionContext, options: UniGrpcOptions): void {
  const definition = loadGrpcService(uniStreamProtoFile, uniStreamServiceName).service;
  const consume = definition['Consume']!;
  const raw: ServiceDefinition = {
    Consume: {
      ...consume,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (message: Uint8Array) => Buffer.from(message.buffer, message.byteOffset, message.byteLength),
    },
  };
  server.addService(raw, {
    Consume: (call: ConsumeCall) => {
      if (!options.accepting()) {
        call.emit('error', { code: status.UNAVAILABLE, details: 'not accepting connections' });
        return;
      }
      const request = call.request;
      try {
        decodeConnectCommand(request);
      } catch (err) {
        // What grpc-go answers a request that does not unmarshal.
        call.emit('error', { code: status.INTERNAL, details: `error unmarshalling request: ${(err as Error).message}` });
        return;
      }
      const transport = new UniGrpcTransport(call);
      const session = openSession(ctx, transport, uniProtobufCodec);
      options.live.add(session);
      const release = (): void => {
        options.live.delete(session);
      };
      call.on('finish', release);
      call.on('cancelled', () => {
        release();
        transport.closed = true;
        session.handleTransportClosed(DisconnectCode.connectionClosed);
      });
      call.on('error', () => {
        release();
        transport.closed = true;
        session.handleTransportClosed(DisconnectCode.connectionClosed);
      });
      session.handleFrame(request);
    },
  });
}

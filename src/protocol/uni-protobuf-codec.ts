import type { Publication, Reply } from './client-protocol.js';
import type { Codec } from './codec.js';
import { decodeConnectCommand } from './protobuf-decode.js';
import { push } from './protobuf-encode.js';
import { WriterClass } from './protobuf-wire.js';

// The unidirectional protobuf protocol (uni_grpc): the client's one message is a bare ConnectRequest; everything
// the server sends is a bare Push (the connect result as a Connect push, a ping as the empty Push). Frames hold
// uvarint-length-prefixed Pushes, as the bidirectional protobuf codec frames Replies, so a transport that carries
// one message at a time (a gRPC stream) splits them again (splitDelimited).

function writeUniReply(w: ReturnType<typeof WriterClass.create>, reply: Reply): void {
  w.fork();
  if (reply.push) push(w, reply.push);
  else if (reply.connect) push(w, { connect: reply.connect });
  w.ldelim();
}

export const uniProtobufCodec: Codec = {
  name: 'protobuf',
  binary: true,
  decodeCommands: (frame) => [decodeConnectCommand(frame)],
  encodeReply(reply: Reply): Uint8Array {
    const w = WriterClass.create();
    writeUniReply(w, reply);
    return w.finish();
  },
  encodeReplies(replies: readonly Reply[]): Uint8Array {
    const w = WriterClass.create();
    for (const reply of replies) writeUniReply(w, reply);
    return w.finish();
  },
  encodePublicationPush(channel: string, pub: Publication, channelId = 0): Uint8Array {
    const w = WriterClass.create();
    w.fork();
    push(w, channelId > 0 ? { id: channelId, pub } : { channel, pub });
    w.ldelim();
    return w.finish();
  },
};

/** The messages of a frame of uvarint-length-prefixed messages, as views into it. */
export function splitDelimited(frame: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < frame.length) {
    let length = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = frame[pos++]!;
      length += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && pos < frame.length);
    out.push(frame.subarray(pos, pos + length));
    pos += length;
  }
  return out;
}

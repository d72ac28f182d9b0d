import type { Publication, Reply } from './client-protocol.js';
import type { Codec } from './codec.js';
import { decodeProtobufCommands } from './protobuf-decode.js';
import { push, reply } from './protobuf-encode.js';
import { WriterClass } from './protobuf-wire.js';

function encodeReply(r: Reply): Uint8Array {
  const w = WriterClass.create();
  w.fork();
  reply(w, r);
  w.ldelim();
  return w.finish();
}

/**
 * The protobuf client protocol (subprotocol `centrifuge-protobuf`): binary frames of uvarint-length-prefixed
 * messages. Decoded Bytes fields are views into the frame, which therefore must not be reused afterwards.
 */
export const protobufCodec: Codec = {
  name: 'protobuf',
  binary: true,
  decodeCommands: decodeProtobufCommands,
  encodeReply,
  encodeReplies(replies: readonly Reply[]): Uint8Array {
    const w = WriterClass.create();
    for (const r of replies) {
      w.fork();
      reply(w, r);
      w.ldelim();
    }
    return w.finish();
  },
  encodePublicationPush(channel: string, pub: Publication, channelId = 0): Uint8Array {
    const w = WriterClass.create();
    w.fork();
    w.uint32(34).fork(); // Reply.push = 4
    push(w, channelId > 0 ? { id: channelId, pub } : { channel, pub });
    w.ldelim();
    w.ldelim();
    return w.finish();
  },
};

import type { Publication, Reply } from './client-protocol.js';
import type { Codec } from './codec.js';
import { decodeJsonCommands } from './json-decode.js';
import { pushJson, replyJson } from './json-encode.js';

/**
 * The JSON client protocol: text frames, `\n`-joined messages, `data`/`info` carried as raw JSON.
 * Decoded `data` fields hold the UTF-8 bytes of their JSON text; encoded Bytes fields must hold JSON text.
 */
export const jsonCodec: Codec = {
  name: 'json',
  binary: false,
  decodeCommands: decodeJsonCommands,
  encodeReply: replyJson,
  encodeReplies(replies: readonly Reply[]): string {
    let s = '';
    for (let i = 0; i < replies.length; i++) {
      if (i > 0) s += '\n';
      s += replyJson(replies[i]!);
    }
    return s;
  },
  encodePublicationPush(channel: string, pub: Publication, channelId = 0): string {
    return '{"push":' + pushJson(channelId > 0 ? { id: channelId, pub } : { channel, pub }) + '}';
  },
};

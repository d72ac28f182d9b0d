import type { Command, Publication, Reply } from './client-protocol.js';
import type { Codec } from './codec.js';
import { connectCommandFromJson } from './json-decode.js';
import { RawJson } from './json-raw.js';
import { pushJson } from './json-encode.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';

// The unidirectional JSON protocol (uni_websocket, uni_sse, uni_http_stream): the client sends one bare
// ConnectRequest and then only reads. Everything the server sends is a bare Push object, not a Reply:
// the connect result becomes a Connect push `{"connect":{…}}`, a publication `{"channel":"x","pub":{…}}`,
// a disconnect `{"disconnect":{…}}` and a ping the empty push `{}`. Replies to commands have no form here;
// the connect handler turns its errors into disconnects, so only pushes, pings and the connect result
// reach this codec.

const utf8 = new TextDecoder('utf-8');

/** The one command a unidirectional client sends: its ConnectRequest, as connect command 1. */
export function uniConnectCommand(frame: Uint8Array): Command {
  const text = utf8.decode(frame).trim();
  let request: unknown = {};
  if (text !== '') {
    try {
      request = JSON.parse(text);
    } catch (err) {
      throw new ProtocolDecodeError(`invalid connect request: ${(err as Error).message}`, { cause: err });
    }
  }
  // A literal `null` is an empty request, as in Centrifugo's unidirectional handlers.
  if (request === null) return connectCommandFromJson({});
  if (typeof request !== 'object' || Array.isArray(request)) {
    throw new ProtocolDecodeError('invalid connect request: not a JSON object');
  }
  let located: RawJson | null | undefined;
  return connectCommandFromJson(request as Record<string, unknown>, () => (located ??= RawJson.of(text)));
}

function encodeUniReply(reply: Reply): string {
  if (reply.push) return pushJson(reply.push);
  if (reply.connect) return pushJson({ connect: reply.connect });
  return '{}';
}

export const uniJsonCodec: Codec = {
  name: 'json',
  binary: false,
  decodeCommands: (frame) => [uniConnectCommand(frame)],
  encodeReply: encodeUniReply,
  encodeReplies(replies: readonly Reply[]): string {
    let s = '';
    for (let i = 0; i < replies.length; i++) {
      if (i > 0) s += '\n';
      s += encodeUniReply(replies[i]!);
    }
    return s;
  },
  encodePublicationPush(channel: string, pub: Publication, channelId = 0): string {
    return pushJson(channelId > 0 ? { id: channelId, pub } : { channel, pub });
  },
};

import type { ClientInfo, Publication } from './client-protocol.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';
import { push as writePush } from './protobuf-encode.js';
import { decodeClientInfoMessage, decodePublicationMessage, type DecodedPublication } from './protobuf-publication.js';
import { WriterClass, readBytes, readString, readTag, readerFor, skipField } from './protobuf-wire.js';

// A client protocol Push (channel + publication, join or leave) as one node hands it to the others: the framing
// of Centrifugo's NATS broker, where each message on a channel's subject is a protobuf Push.

export type BrokerPush =
  | { kind: 'publication'; channel: string; publication: DecodedPublication }
  | { kind: 'join' | 'leave'; channel: string; info: ClientInfo };

export function encodePublicationPush(channel: string, pub: Publication): Uint8Array {
  const w = WriterClass.create();
  writePush(w, { channel, pub });
  return w.finish();
}

export function encodeJoinPush(channel: string, info: ClientInfo): Uint8Array {
  const w = WriterClass.create();
  writePush(w, { channel, join: { info } });
  return w.finish();
}

export function encodeLeavePush(channel: string, info: ClientInfo): Uint8Array {
  const w = WriterClass.create();
  writePush(w, { channel, leave: { info } });
  return w.finish();
}

/** The ClientInfo inside a Join or Leave message (`ClientInfo info = 1`). */
function infoOf(bytes: Uint8Array): ClientInfo {
  const r = readerFor(bytes);
  let info: ClientInfo = { user: '', client: '' };
  while (r.pos < r.len) {
    const tag = readTag(r);
    if (tag === 10) info = decodeClientInfoMessage(readBytes(r, r.len));
    else skipField(r, tag, r.len);
  }
  return info;
}

/**
 * Decodes a Push another node published; byte fields are views into `bytes`. A push that carries none of
 * publication, join or leave (or does not parse) is a ProtocolDecodeError.
 */
export function decodeBrokerPush(bytes: Uint8Array): BrokerPush {
  let channel = '';
  let pub: Uint8Array | undefined;
  let join: Uint8Array | undefined;
  let leave: Uint8Array | undefined;
  try {
    const r = readerFor(bytes);
    const end = r.len;
    while (r.pos < end) {
      const tag = readTag(r);
      switch (tag) {
        case 18: channel = readString(r, end); break; // 2 channel
        case 34: pub = readBytes(r, end); break; // 4 pub
        case 42: join = readBytes(r, end); break; // 5 join
        case 50: leave = readBytes(r, end); break; // 6 leave
        default: skipField(r, tag, end);
      }
    }
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    throw new ProtocolDecodeError(`malformed push: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (pub) return { kind: 'publication', channel, publication: decodePublicationMessage(pub) };
  if (join) return { kind: 'join', channel, info: wrapInfo(join) };
  if (leave) return { kind: 'leave', channel, info: wrapInfo(leave) };
  throw new ProtocolDecodeError('push without publication, join or leave');
}

function wrapInfo(bytes: Uint8Array): ClientInfo {
  try {
    return infoOf(bytes);
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    throw new ProtocolDecodeError(`malformed join/leave: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

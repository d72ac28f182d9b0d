import type { Reader } from 'protobufjs/minimal.js';
import type { ClientInfo, Publication } from './client-protocol.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';
import { clientInfo as writeClientInfo, publication as writePublication } from './protobuf-encode.js';
import {
  WriterClass,
  delimitedEnd,
  expectEnd,
  readBytes,
  readerFor,
  readInt64,
  readString,
  readTag,
  readUint64,
  skipField,
} from './protobuf-wire.js';

// Publication and ClientInfo as standalone protobuf messages (client.proto numbering): the form Centrifugo's
// Redis engine stores in history streams and sends over PUB/SUB, and the form presence entries take.

/** A Publication as another node wrote it, with the fields that travel beside what clients see. */
export interface DecodedPublication {
  /** What clients get: data, info, offset, tags (never `time`, `delta` or `epoch`). */
  pub: Publication;
  /** Publish time in ms since the epoch, 0 when the writer set none. */
  time: number;
  /** The no-history delta flag a writer carries in the publication itself. */
  delta: boolean;
  /** Stream epoch a writer may carry in the publication (field 14), '' otherwise. */
  epoch: string;
}

export function encodePublicationMessage(pub: Publication): Uint8Array {
  const w = WriterClass.create();
  writePublication(w, pub);
  return w.finish();
}

export function encodeClientInfoMessage(info: ClientInfo): Uint8Array {
  const w = WriterClass.create();
  writeClientInfo(w, info);
  return w.finish();
}

function clientInfo(r: Reader, end: number): ClientInfo {
  const info: ClientInfo = { user: '', client: '' };
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: info.user = readString(r, end); break; // 1 user
      case 18: info.client = readString(r, end); break; // 2 client
      case 26: info.conn_info = readBytes(r, end); break; // 3 conn_info
      case 34: info.chan_info = readBytes(r, end); break; // 4 chan_info
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return info;
}

function tagEntry(r: Reader, limit: number, tags: Record<string, string>): void {
  const end = delimitedEnd(r, limit);
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) key = readString(r, end);
    else if (tag === 18) value = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  tags[key] = value;
}

/** Wraps decoding so anything malformed (including protobufjs's own range errors) is a ProtocolDecodeError. */
function decoding<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    throw new ProtocolDecodeError(`malformed ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Decodes a Publication message; `data` and byte fields are views into `bytes`. */
export function decodePublicationMessage(bytes: Uint8Array): DecodedPublication {
  return decoding('publication', () => {
    const r = readerFor(bytes);
    const end = r.len;
    const pub: Publication = { data: new Uint8Array(0) };
    const decoded: DecodedPublication = { pub, time: 0, delta: false, epoch: '' };
    while (r.pos < end) {
      const tag = readTag(r);
      switch (tag) {
        case 34: pub.data = readBytes(r, end); break; // 4 data
        case 42: pub.info = clientInfo(r, delimitedEnd(r, end)); break; // 5 info
        case 48: pub.offset = readUint64(r); break; // 6 offset
        case 58: tagEntry(r, end, (pub.tags ??= Object.create(null) as Record<string, string>)); break; // 7 tags
        case 64: decoded.delta = r.bool(); break; // 8 delta
        case 72: decoded.time = readInt64(r); break; // 9 time
        case 114: decoded.epoch = readString(r, end); break; // 14 epoch
        default: skipField(r, tag, end);
      }
    }
    return decoded;
  });
}

export function decodeClientInfoMessage(bytes: Uint8Array): ClientInfo {
  return decoding('client info', () => {
    const r = readerFor(bytes);
    return clientInfo(r, r.len);
  });
}

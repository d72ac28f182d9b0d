import type { Reader } from 'protobufjs/minimal.js';
import type {
  Bytes,
  Command,
  ConnectRequest,
  HistoryRequest,
  PublishRequest,
  RefreshRequest,
  RpcRequest,
  StreamPosition,
  SubRefreshRequest,
  SubscribeRequest,
} from './client-protocol.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';
import {
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

// Hand-written decoding of Commands (field numbers: client.proto / PROTOCOL.md). `case` labels are tags,
// field << 3 | wire type (0 varint, 2 length-delimited); a known field with another wire type is skipped
// like an unknown one, as Go's protobuf runtime does. A field present on the wire is set even when it holds
// its zero value; fields the model requires default to zero values. A message field that occurs twice is
// merged, as protobuf specifies. Map values come as null-prototype objects.

const emptyBytes: Bytes = new Uint8Array(0);

function stringMapEntry(r: Reader, limit: number, map: Record<string, string>): void {
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
  map[key] = value;
}

function subscribeRequest(r: Reader, end: number, req: SubscribeRequest): SubscribeRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: req.channel = readString(r, end); break; // 1 channel
      case 18: req.token = readString(r, end); break; // 2 token
      case 24: req.recover = r.bool(); break; // 3 recover
      case 50: req.epoch = readString(r, end); break; // 6 epoch
      case 56: req.offset = readUint64(r); break; // 7 offset
      case 66: req.data = readBytes(r, end); break; // 8 data
      case 72: req.positioned = r.bool(); break; // 9 positioned
      case 80: req.recoverable = r.bool(); break; // 10 recoverable
      case 88: req.join_leave = r.bool(); break; // 11 join_leave
      case 98: req.delta = readString(r, end); break; // 12 delta
      case 112: req.flag = readInt64(r); break; // 14 flag
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return req;
}

function subscribeRequestEntry(r: Reader, limit: number, map: Record<string, SubscribeRequest>): void {
  const end = delimitedEnd(r, limit);
  let key = '';
  let value: SubscribeRequest | undefined;
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) key = readString(r, end);
    else if (tag === 18) value = subscribeRequest(r, delimitedEnd(r, end), value ?? { channel: '' });
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  map[key] = value ?? { channel: '' };
}

function connectRequest(r: Reader, end: number, req: ConnectRequest): ConnectRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: req.token = readString(r, end); break; // 1 token
      case 18: req.data = readBytes(r, end); break; // 2 data
      case 26: subscribeRequestEntry(r, end, (req.subs ??= Object.create(null) as Record<string, SubscribeRequest>)); break; // 3 subs
      case 34: req.name = readString(r, end); break; // 4 name
      case 42: req.version = readString(r, end); break; // 5 version
      case 50: stringMapEntry(r, end, (req.headers ??= Object.create(null) as Record<string, string>)); break; // 6 headers
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return req;
}

/** Messages whose only field is `string channel = 1`. */
function channelRequest(r: Reader, end: number, req: { channel: string }): { channel: string } {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) req.channel = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return req;
}

function publishRequest(r: Reader, end: number, req: PublishRequest): PublishRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) req.channel = readString(r, end);
    else if (tag === 18) req.data = readBytes(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return req;
}

function streamPosition(r: Reader, end: number, pos: StreamPosition): StreamPosition {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 8) pos.offset = readUint64(r);
    else if (tag === 18) pos.epoch = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return pos;
}

function historyRequest(r: Reader, end: number, req: HistoryRequest): HistoryRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag) {
      case 10: req.channel = readString(r, end); break; // 1 channel
      case 56: req.limit = r.int32(); break; // 7 limit
      case 66: req.since = streamPosition(r, delimitedEnd(r, end), req.since ?? { offset: 0, epoch: '' }); break;
      case 72: req.reverse = r.bool(); break; // 9 reverse
      default: skipField(r, tag, end);
    }
  }
  expectEnd(r, end);
  return req;
}

/** SendRequest and RPCRequest: `bytes data = 1`, RPC also `string method = 2`. */
function rpcRequest(r: Reader, end: number, req: RpcRequest): RpcRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) req.data = readBytes(r, end);
    else if (tag === 18) req.method = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return req;
}

function refreshRequest(r: Reader, end: number, req: RefreshRequest): RefreshRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) req.token = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return req;
}

function subRefreshRequest(r: Reader, end: number, req: SubRefreshRequest): SubRefreshRequest {
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 10) req.channel = readString(r, end);
    else if (tag === 18) req.token = readString(r, end);
    else skipField(r, tag, end);
  }
  expectEnd(r, end);
  return req;
}

function emptyMessage(r: Reader, end: number): Record<string, never> {
  while (r.pos < end) skipField(r, readTag(r), end);
  expectEnd(r, end);
  return {};
}

function command(r: Reader, end: number): Command {
  const cmd: Command = { id: 0 };
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag === 8) {
      cmd.id = r.uint32();
      continue;
    }
    if ((tag & 7) !== 2 || tag >>> 3 < 4 || tag >>> 3 > 15) {
      skipField(r, tag, end);
      continue;
    }
    const e = delimitedEnd(r, end);
    switch (tag >>> 3) {
      case 4: cmd.connect = connectRequest(r, e, cmd.connect ?? {}); break;
      case 5: cmd.subscribe = subscribeRequest(r, e, cmd.subscribe ?? { channel: '' }); break;
      case 6: cmd.unsubscribe = channelRequest(r, e, cmd.unsubscribe ?? { channel: '' }); break;
      case 7: cmd.publish = publishRequest(r, e, cmd.publish ?? { channel: '', data: emptyBytes }); break;
      case 8: cmd.presence = channelRequest(r, e, cmd.presence ?? { channel: '' }); break;
      case 9: cmd.presence_stats = channelRequest(r, e, cmd.presence_stats ?? { channel: '' }); break;
      case 10: cmd.history = historyRequest(r, e, cmd.history ?? { channel: '' }); break;
      case 11: cmd.ping = emptyMessage(r, e); break;
      case 12: {
        const send = rpcRequest(r, e, cmd.send ?? {});
        cmd.send = send.data === undefined ? {} : { data: send.data };
        break;
      }
      case 13: cmd.rpc = rpcRequest(r, e, cmd.rpc ?? {}); break;
      case 14: cmd.refresh = refreshRequest(r, e, cmd.refresh ?? { token: '' }); break;
      case 15: cmd.sub_refresh = subRefreshRequest(r, e, cmd.sub_refresh ?? { channel: '', token: '' }); break;
    }
  }
  expectEnd(r, end);
  return cmd;
}

/** Decodes a frame of uvarint-length-prefixed Commands. Bytes fields are views into `frame`. */
export function decodeProtobufCommands(frame: Uint8Array): Command[] {
  const r = readerFor(frame);
  const commands: Command[] = [];
  try {
    while (r.pos < r.len) {
      const end = delimitedEnd(r, r.len);
      commands.push(command(r, end));
    }
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    // protobufjs throws RangeError past the end of the frame and Error for over-long varints.
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtocolDecodeError(`malformed protobuf frame: ${reason}`, { cause: err });
  }
  return commands;
}

/** A bare ConnectRequest message (the unidirectional gRPC stream's request), as connect command 1. */
export function decodeConnectCommand(message: Uint8Array): Command {
  const r = readerFor(message);
  try {
    return { id: 1, connect: connectRequest(r, message.length, {}) };
  } catch (err) {
    if (err instanceof ProtocolDecodeError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtocolDecodeError(`malformed connect request: ${reason}`, { cause: err });
  }
}

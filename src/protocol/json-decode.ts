import type {
  Bytes,
  Command,
  ConnectRequest,
  HistoryRequest,
  RpcRequest,
  StreamPosition,
  SubscribeRequest,
} from './client-protocol.js';
import { RawJson } from './json-raw.js';
import { ProtocolDecodeError } from './protocol-decode-error.js';

// Hand-written validation of JSON commands (PROTOCOL.md "Requests"). Rules, the same for every field:
// - a key that is absent or `null` leaves the field unset (Go's encoding/json treats null the same way);
// - a value of the wrong type throws ProtocolDecodeError naming the field;
// - unknown keys are ignored (newer SDKs send extension fields);
// - a field the model declares required (`channel`, `token`, publish `data`) defaults to its zero value
//   when absent, like proto3, so the session validates both codecs' output in one place;
// - `data` may be any JSON value: it is kept as the UTF-8 bytes of its JSON text exactly as sent (found in the
//   frame by json-raw.ts; nesting depth is limited only by the frame size, as in Centrifugo).

type JsonObject = Record<string, unknown>;

const emptyBytes: Bytes = new Uint8Array(0);
const maxUint32 = 0xffffffff;
const two63 = 2 ** 63;
const two64 = 2 ** 64;

function invalid(path: string, key: string, expected: string): never {
  throw new ProtocolDecodeError(`invalid command: ${path}.${key} must be ${expected}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(o: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) invalid(path, key, 'an object');
  return v;
}

function string(o: JsonObject, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') invalid(path, key, 'a string');
  return v;
}

function boolean(o: JsonObject, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') invalid(path, key, 'a boolean');
  return v;
}

function integer(o: JsonObject, key: string, path: string, min: number, max: number, what: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) invalid(path, key, what);
  return v;
}

const uint32 = (o: JsonObject, key: string, path: string): number | undefined =>
  integer(o, key, path, 0, maxUint32, 'an integer in [0, 2^32)');
const int32 = (o: JsonObject, key: string, path: string): number | undefined =>
  integer(o, key, path, -0x80000000, 0x7fffffff, 'a 32-bit integer');
const uint64 = (o: JsonObject, key: string, path: string): number | undefined =>
  integer(o, key, path, 0, two64, 'a non-negative integer');
const int64 = (o: JsonObject, key: string, path: string): number | undefined =>
  integer(o, key, path, -two63, two63, 'an integer');

/** Where the object being decoded sits in the frame's text, found only when a payload needs it. */
type RawLocator = () => RawJson | null;

const noRaw: RawLocator = () => null;

function within(locator: RawLocator, key: string): RawLocator {
  return () => locator()?.at([key]) ?? null;
}

function data(o: JsonObject, key: string, path: string, raw: RawLocator): Bytes | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  // The payload's own text, byte for byte (Centrifugo keeps it raw too).
  const located = raw()?.at([key]);
  if (located) return located.bytes();
  let json: string;
  try {
    json = JSON.stringify(v);
  } catch (err) {
    // JSON.parse accepts nesting JSON.stringify cannot recurse through (RangeError: call stack).
    throw new ProtocolDecodeError(`invalid command: ${path}.${key} is nested too deeply`, { cause: err });
  }
  return Buffer.from(json);
}

function stringMap(o: JsonObject, key: string, path: string): Record<string, string> | undefined {
  const m = object(o, key, path);
  if (m === undefined) return undefined;
  // Null prototype: a client-chosen key such as "__proto__" stays an ordinary entry.
  const out = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (typeof v !== 'string') invalid(`${path}.${key}`, JSON.stringify(k), 'a string');
    out[k] = v;
  }
  return out;
}

function subscribeRequest(o: JsonObject, path: string, raw: RawLocator): SubscribeRequest {
  const req: SubscribeRequest = { channel: string(o, 'channel', path) ?? '' };
  const token = string(o, 'token', path);
  if (token !== undefined) req.token = token;
  const recover = boolean(o, 'recover', path);
  if (recover !== undefined) req.recover = recover;
  const epoch = string(o, 'epoch', path);
  if (epoch !== undefined) req.epoch = epoch;
  const offset = uint64(o, 'offset', path);
  if (offset !== undefined) req.offset = offset;
  const d = data(o, 'data', path, raw);
  if (d !== undefined) req.data = d;
  const positioned = boolean(o, 'positioned', path);
  if (positioned !== undefined) req.positioned = positioned;
  const recoverable = boolean(o, 'recoverable', path);
  if (recoverable !== undefined) req.recoverable = recoverable;
  const joinLeave = boolean(o, 'join_leave', path);
  if (joinLeave !== undefined) req.join_leave = joinLeave;
  const delta = string(o, 'delta', path);
  if (delta !== undefined) req.delta = delta;
  const flag = int64(o, 'flag', path);
  if (flag !== undefined) req.flag = flag;
  return req;
}

function connectRequest(o: JsonObject, raw: RawLocator): ConnectRequest {
  const path = 'connect';
  const req: ConnectRequest = {};
  const token = string(o, 'token', path);
  if (token !== undefined) req.token = token;
  const d = data(o, 'data', path, raw);
  if (d !== undefined) req.data = d;
  const subs = object(o, 'subs', path);
  if (subs !== undefined) {
    const out = Object.create(null) as Record<string, SubscribeRequest>;
    for (const channel of Object.keys(subs)) {
      const v = subs[channel];
      if (v === undefined || v === null) continue;
      const subPath = `connect.subs[${JSON.stringify(channel)}]`;
      if (!isObject(v)) throw new ProtocolDecodeError(`invalid command: ${subPath} must be an object`);
      out[channel] = subscribeRequest(v, subPath, within(within(raw, 'subs'), channel));
    }
    req.subs = out;
  }
  const name = string(o, 'name', path);
  if (name !== undefined) req.name = name;
  const version = string(o, 'version', path);
  if (version !== undefined) req.version = version;
  const headers = stringMap(o, 'headers', path);
  if (headers !== undefined) req.headers = headers;
  return req;
}

function historyRequest(o: JsonObject): HistoryRequest {
  const path = 'history';
  const req: HistoryRequest = { channel: string(o, 'channel', path) ?? '' };
  const limit = int32(o, 'limit', path);
  if (limit !== undefined) req.limit = limit;
  const since = object(o, 'since', path);
  if (since !== undefined) {
    const position: StreamPosition = {
      offset: uint64(since, 'offset', 'history.since') ?? 0,
      epoch: string(since, 'epoch', 'history.since') ?? '',
    };
    req.since = position;
  }
  const reverse = boolean(o, 'reverse', path);
  if (reverse !== undefined) req.reverse = reverse;
  return req;
}

function channelOnly(o: JsonObject, path: string): { channel: string } {
  return { channel: string(o, 'channel', path) ?? '' };
}

function rpcRequest(o: JsonObject, raw: RawLocator): RpcRequest {
  const req: RpcRequest = {};
  const d = data(o, 'data', 'rpc', raw);
  if (d !== undefined) req.data = d;
  const method = string(o, 'method', 'rpc');
  if (method !== undefined) req.method = method;
  return req;
}

/**
 * Validates one parsed JSON value as a Command. `raw` locates the command in the frame's text so payloads keep
 * their original bytes; without it payloads are re-serialised.
 */
export function commandFromJson(value: unknown, raw: RawLocator = noRaw): Command {
  if (!isObject(value)) throw new ProtocolDecodeError('invalid command: not a JSON object');
  const path = 'command';
  const cmd: Command = { id: uint32(value, 'id', path) ?? 0 };
  let o = object(value, 'connect', path);
  if (o !== undefined) cmd.connect = connectRequest(o, within(raw, 'connect'));
  o = object(value, 'subscribe', path);
  if (o !== undefined) cmd.subscribe = subscribeRequest(o, 'subscribe', within(raw, 'subscribe'));
  o = object(value, 'unsubscribe', path);
  if (o !== undefined) cmd.unsubscribe = channelOnly(o, 'unsubscribe');
  o = object(value, 'publish', path);
  if (o !== undefined) {
    const data_ = data(o, 'data', 'publish', within(raw, 'publish'));
    cmd.publish = { channel: string(o, 'channel', 'publish') ?? '', data: data_ ?? emptyBytes };
  }
  o = object(value, 'presence', path);
  if (o !== undefined) cmd.presence = channelOnly(o, 'presence');
  o = object(value, 'presence_stats', path);
  if (o !== undefined) cmd.presence_stats = channelOnly(o, 'presence_stats');
  o = object(value, 'history', path);
  if (o !== undefined) cmd.history = historyRequest(o);
  o = object(value, 'ping', path);
  if (o !== undefined) cmd.ping = {};
  o = object(value, 'send', path);
  if (o !== undefined) {
    const d = data(o, 'data', 'send', within(raw, 'send'));
    cmd.send = d === undefined ? {} : { data: d };
  }
  o = object(value, 'rpc', path);
  if (o !== undefined) cmd.rpc = rpcRequest(o, within(raw, 'rpc'));
  o = object(value, 'refresh', path);
  if (o !== undefined) cmd.refresh = { token: string(o, 'token', 'refresh') ?? '' };
  o = object(value, 'sub_refresh', path);
  if (o !== undefined) {
    cmd.sub_refresh = {
      channel: string(o, 'channel', 'sub_refresh') ?? '',
      token: string(o, 'token', 'sub_refresh') ?? '',
    };
  }
  return cmd;
}

/** A unidirectional client's bare ConnectRequest as connect command 1; `raw` locates the request's text. */
export function connectCommandFromJson(request: JsonObject, raw: RawLocator = noRaw): Command {
  return { id: 1, connect: connectRequest(request, raw) };
}

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes a JSON frame: one command per line, with at most one line feed at the end (Centrifugo's framing: an
 * empty line between commands is a malformed frame).
 */
export function decodeJsonCommands(frame: Uint8Array): Command[] {
  const text = utf8.decode(frame);
  const commands: Command[] = [];
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  if (end === 0) return commands;
  let start = 0;
  while (start <= end) {
    let lineEnd = text.indexOf('\n', start);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const line = text.slice(start, lineEnd);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new ProtocolDecodeError(`invalid JSON command: ${(err as Error).message}`, { cause: err });
    }
    let located: RawJson | null | undefined;
    commands.push(commandFromJson(parsed, () => (located ??= RawJson.of(line))));
    start = lineEnd + 1;
  }
  return commands;
}

import type {
  ClientInfo,
  Command,
  ConnectResult,
  Publication,
  Reply,
  SubscribeRequest,
  SubscribeResult,
} from '../../../../src/protocol/client-protocol.js';
import { text } from './protocol-oracles.js';

// Random but reproducible protocol values covering every modelled field, zero values included.

type Rnd = () => number;

// Canonical JSON texts (JSON.stringify(JSON.parse(t)) === t), so `data` survives the JSON decoder unchanged.
const jsonTexts = ['{"a":1}', '"s"', '[1,2,{"b":[]}]', '123', '-0.5', 'true', '{"t":"ü😀\\n\\"q\\""}', '{}'];
const strings = ['', 'a', 'news', 'chat:room#42', 'ü "quoted" \\ back', 'line\nbreak\t😀', '\u0000\u001f\u2028'];

const pick = <T>(rnd: Rnd, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const maybe = (rnd: Rnd): boolean => rnd() < 0.5;
const str = (rnd: Rnd): string => pick(rnd, strings);
const bytes = (rnd: Rnd): Uint8Array => text(pick(rnd, jsonTexts));
const u32 = (rnd: Rnd): number => pick(rnd, [0, 1, 25, 127, 128, 300, 2 ** 31, 2 ** 32 - 1]);
const u64 = (rnd: Rnd): number => pick(rnd, [0, 1, 128, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]);
const i64 = (rnd: Rnd): number => pick(rnd, [0, 1, 1_700_000_000_123, -1, -(2 ** 40), Number.MAX_SAFE_INTEGER]);
const i32 = (rnd: Rnd): number => pick(rnd, [0, -1, 1, 100, -(2 ** 31), 2 ** 31 - 1]);

function setIf<T extends object, K extends keyof T>(rnd: Rnd, target: T, key: K, make: (rnd: Rnd) => T[K]): void {
  if (maybe(rnd)) target[key] = make(rnd);
}

/** One or two entries: protobuf cannot tell an empty map from an absent one. */
function stringMap(rnd: Rnd): Record<string, string> {
  const out: Record<string, string> = {};
  const n = 1 + Math.floor(rnd() * 2);
  for (let i = 0; i < n; i++) out[`k${i}${str(rnd)}`] = str(rnd);
  return out;
}

export function randomClientInfo(rnd: Rnd): ClientInfo {
  const info: ClientInfo = { user: str(rnd), client: str(rnd) };
  setIf(rnd, info, 'conn_info', bytes);
  setIf(rnd, info, 'chan_info', bytes);
  return info;
}

export function randomPublication(rnd: Rnd): Publication {
  const pub: Publication = { data: bytes(rnd) };
  setIf(rnd, pub, 'info', randomClientInfo);
  setIf(rnd, pub, 'offset', u64);
  setIf(rnd, pub, 'tags', stringMap);
  setIf(rnd, pub, 'delta', maybe);
  setIf(rnd, pub, 'time', i64);
  setIf(rnd, pub, 'channel', str);
  return pub;
}

const publications = (rnd: Rnd): Publication[] => Array.from({ length: Math.floor(rnd() * 3) }, () => randomPublication(rnd));

function randomSubscribeResult(rnd: Rnd): SubscribeResult {
  const r: SubscribeResult = {};
  setIf(rnd, r, 'expires', maybe);
  setIf(rnd, r, 'ttl', u32);
  setIf(rnd, r, 'recoverable', maybe);
  setIf(rnd, r, 'epoch', str);
  setIf(rnd, r, 'publications', publications);
  setIf(rnd, r, 'recovered', maybe);
  setIf(rnd, r, 'offset', u64);
  setIf(rnd, r, 'positioned', maybe);
  setIf(rnd, r, 'data', bytes);
  setIf(rnd, r, 'was_recovering', maybe);
  setIf(rnd, r, 'delta', maybe);
  return r;
}

function randomConnectResult(rnd: Rnd): ConnectResult {
  const r: ConnectResult = { client: str(rnd), version: str(rnd) };
  setIf(rnd, r, 'expires', maybe);
  setIf(rnd, r, 'ttl', u32);
  setIf(rnd, r, 'data', bytes);
  if (maybe(rnd)) r.subs = { [str(rnd)]: randomSubscribeResult(rnd), news: randomSubscribeResult(rnd) };
  setIf(rnd, r, 'ping', u32);
  setIf(rnd, r, 'pong', maybe);
  setIf(rnd, r, 'session', str);
  setIf(rnd, r, 'node', str);
  setIf(rnd, r, 'time', i64);
  return r;
}

const expiresTtl = (rnd: Rnd): { expires?: boolean; ttl?: number } => {
  const r: { expires?: boolean; ttl?: number } = {};
  setIf(rnd, r, 'expires', maybe);
  setIf(rnd, r, 'ttl', u32);
  return r;
};

export function randomReply(rnd: Rnd): Reply {
  const reply: Reply = {};
  if (maybe(rnd)) reply.id = u32(rnd);
  const kind = Math.floor(rnd() * 22);
  switch (kind) {
    case 0: reply.error = { code: u32(rnd), message: str(rnd), temporary: maybe(rnd) }; break;
    case 1: reply.connect = randomConnectResult(rnd); break;
    case 2: reply.subscribe = randomSubscribeResult(rnd); break;
    case 3: reply.unsubscribe = {}; break;
    case 4: reply.publish = {}; break;
    case 5: {
      const presence: Record<string, ClientInfo> = {};
      const n = Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) presence[`c${i}${str(rnd)}`] = randomClientInfo(rnd);
      reply.presence = { presence };
      break;
    }
    case 6: reply.presence_stats = { num_clients: u32(rnd), num_users: u32(rnd) }; break;
    case 7: reply.history = { publications: publications(rnd), epoch: str(rnd), offset: u64(rnd) }; break;
    case 8: reply.rpc = maybe(rnd) ? { data: bytes(rnd) } : {}; break;
    case 9: reply.refresh = { client: str(rnd), version: str(rnd), ...expiresTtl(rnd) }; break;
    case 10: reply.sub_refresh = expiresTtl(rnd); break;
    case 11: break; // empty: the server's ping (or a bare id)
    case 12: reply.push = { channel: str(rnd), pub: randomPublication(rnd) }; break;
    case 13: reply.push = { channel: str(rnd), join: { info: randomClientInfo(rnd) } }; break;
    case 14: reply.push = { channel: str(rnd), leave: { info: randomClientInfo(rnd) } }; break;
    case 15: reply.push = { channel: str(rnd), unsubscribe: { code: u32(rnd), reason: str(rnd) } }; break;
    case 16: reply.push = { message: { data: bytes(rnd) } }; break;
    case 17: {
      const s: NonNullable<NonNullable<Reply['push']>['subscribe']> = {};
      setIf(rnd, s, 'recoverable', maybe);
      setIf(rnd, s, 'epoch', str);
      setIf(rnd, s, 'offset', u64);
      setIf(rnd, s, 'positioned', maybe);
      setIf(rnd, s, 'data', bytes);
      reply.push = { channel: str(rnd), subscribe: s };
      break;
    }
    case 18: reply.push = { connect: randomConnectResult(rnd) }; break;
    case 19: reply.push = { disconnect: { code: u32(rnd), reason: str(rnd), reconnect: maybe(rnd) } }; break;
    case 20: reply.push = { channel: str(rnd), refresh: expiresTtl(rnd) }; break;
    default: reply.error = { code: 100, message: 'internal server error', temporary: true };
  }
  return reply;
}

function randomSubscribeRequest(rnd: Rnd): SubscribeRequest {
  const req: SubscribeRequest = { channel: str(rnd) };
  setIf(rnd, req, 'token', str);
  setIf(rnd, req, 'recover', maybe);
  setIf(rnd, req, 'epoch', str);
  setIf(rnd, req, 'offset', u64);
  setIf(rnd, req, 'data', bytes);
  setIf(rnd, req, 'positioned', maybe);
  setIf(rnd, req, 'recoverable', maybe);
  setIf(rnd, req, 'join_leave', maybe);
  setIf(rnd, req, 'delta', str);
  setIf(rnd, req, 'flag', i64);
  return req;
}

/** A command as our decoders produce it: every field that is set was on the wire. */
export function randomCommand(rnd: Rnd): Command {
  const cmd: Command = { id: u32(rnd) };
  const kind = Math.floor(rnd() * 14);
  switch (kind) {
    case 0: {
      const c: NonNullable<Command['connect']> = {};
      setIf(rnd, c, 'token', str);
      setIf(rnd, c, 'data', bytes);
      if (maybe(rnd)) c.subs = { [str(rnd)]: randomSubscribeRequest(rnd), b: randomSubscribeRequest(rnd) };
      setIf(rnd, c, 'name', str);
      setIf(rnd, c, 'version', str);
      setIf(rnd, c, 'headers', stringMap);
      cmd.connect = c;
      break;
    }
    case 1: cmd.subscribe = randomSubscribeRequest(rnd); break;
    case 2: cmd.unsubscribe = { channel: str(rnd) }; break;
    case 3: cmd.publish = { channel: str(rnd), data: bytes(rnd) }; break;
    case 4: cmd.presence = { channel: str(rnd) }; break;
    case 5: cmd.presence_stats = { channel: str(rnd) }; break;
    case 6: {
      const h: NonNullable<Command['history']> = { channel: str(rnd) };
      setIf(rnd, h, 'limit', i32);
      if (maybe(rnd)) h.since = { offset: u64(rnd), epoch: str(rnd) };
      setIf(rnd, h, 'reverse', maybe);
      cmd.history = h;
      break;
    }
    case 7: cmd.send = maybe(rnd) ? { data: bytes(rnd) } : {}; break;
    case 8: {
      const r: NonNullable<Command['rpc']> = {};
      setIf(rnd, r, 'data', bytes);
      setIf(rnd, r, 'method', str);
      cmd.rpc = r;
      break;
    }
    case 9: cmd.refresh = { token: str(rnd) }; break;
    case 10: cmd.sub_refresh = { channel: str(rnd), token: str(rnd) }; break;
    case 11: cmd.ping = {}; break;
    default: break; // a pong: no request
  }
  return cmd;
}

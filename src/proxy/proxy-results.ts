import type { Bytes } from '../protocol/client-protocol.js';
import type { SubscribeOverride } from '../auth/token-claims.js';
import type { AnswerReader } from './answer-reader.js';
import { decodeBase64Field, payloadPreferringBase64 } from './answer-envelope.js';

// The result of each proxy answer, read with Centrifugo's field names and rules (internal/proxy/*_handler.go).
// Expiry times stay in Unix seconds as the backend sent them.

const int64 = { min: -(2 ** 63), max: 2 ** 63 } as const;

/** A server-side subscription a connect result asks for (`subs` values). */
export interface ProxySubscribeOptions {
  expireAt: number;
  info: Bytes | undefined;
  data: Bytes | undefined;
  override: SubscribeOverride | undefined;
}

export interface ConnectProxyResult {
  user: string;
  expireAt: number;
  info: Bytes | undefined;
  data: Bytes | undefined;
  channels: string[];
  subs: Array<[string, ProxySubscribeOptions]>;
  meta: Bytes | undefined;
}

export interface RefreshProxyResult {
  expired: boolean;
  expireAt: number;
  info: Bytes | undefined;
  meta: Bytes | undefined;
}

export interface SubscribeProxyResult {
  expireAt: number;
  info: Bytes | undefined;
  data: Bytes | undefined;
  override: SubscribeOverride | undefined;
}

export interface PublishProxyResult {
  /** Replaces the client's data when set. */
  data: Bytes | undefined;
  skipHistory: boolean;
  tags: Record<string, string> | undefined;
  idempotencyKey: string;
  delta: boolean;
}

export interface RpcProxyResult {
  data: Bytes | undefined;
}

export interface SubRefreshProxyResult {
  expired: boolean;
  expireAt: number;
  info: Bytes | undefined;
}

function override(reader: AnswerReader): SubscribeOverride | undefined {
  const o = reader.message('override');
  if (!o) return undefined;
  const out: SubscribeOverride = {};
  const flag = (key: 'presence' | 'join_leave' | 'force_recovery' | 'force_positioning' | 'force_push_join_leave'): void => {
    const value = o.message(key);
    if (value) out[key] = value.bool('value') ?? false;
  };
  flag('presence');
  flag('join_leave');
  flag('force_recovery');
  flag('force_positioning');
  flag('force_push_join_leave');
  return out;
}

function subscribeOptions(reader: AnswerReader): ProxySubscribeOptions {
  return {
    expireAt: reader.integer('expire_at', int64.min, int64.max) ?? 0,
    info: payloadPreferringBase64(reader, 'info'),
    data: payloadPreferringBase64(reader, 'data'),
    override: override(reader),
  };
}

export function connectResult(reader: AnswerReader): ConnectProxyResult {
  return {
    user: reader.string('user') ?? '',
    expireAt: reader.integer('expire_at', int64.min, int64.max) ?? 0,
    info: payloadPreferringBase64(reader, 'info'),
    data: payloadPreferringBase64(reader, 'data'),
    channels: reader.strings('channels') ?? [],
    subs: (reader.messageMap('subs') ?? []).map(([channel, options]) => [channel, subscribeOptions(options)]),
    meta: reader.bytes('meta'),
  };
}

export function refreshResult(reader: AnswerReader): RefreshProxyResult {
  return {
    expired: reader.bool('expired') ?? false,
    expireAt: reader.integer('expire_at', int64.min, int64.max) ?? 0,
    info: payloadPreferringBase64(reader, 'info'),
    meta: reader.bytes('meta'),
  };
}

export function subscribeResult(reader: AnswerReader): SubscribeProxyResult {
  return subscribeOptions(reader);
}

/** Publish is the one result where raw `data` wins over `b64data` (publish_handler.go). */
export function publishResult(reader: AnswerReader): PublishProxyResult {
  let data = reader.bytes('data');
  if (data === undefined) {
    const b64 = reader.string('b64data');
    if (b64) data = decodeBase64Field(b64, 'b64data');
  }
  reader.integer('version', 0, 2 ** 64);
  reader.string('version_epoch');
  return {
    data,
    skipHistory: reader.bool('skip_history') ?? false,
    tags: reader.stringMap('tags'),
    idempotencyKey: reader.string('idempotency_key') ?? '',
    delta: reader.bool('delta') ?? false,
  };
}

export function rpcResult(reader: AnswerReader): RpcProxyResult {
  return { data: payloadPreferringBase64(reader, 'data') };
}

export function subRefreshResult(reader: AnswerReader): SubRefreshProxyResult {
  return {
    expired: reader.bool('expired') ?? false,
    expireAt: reader.integer('expire_at', int64.min, int64.max) ?? 0,
    info: payloadPreferringBase64(reader, 'info'),
  };
}

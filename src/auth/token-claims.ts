import { z } from 'zod';

/** Per-subscription option overrides a token may carry (`{"presence": {"value": true}}` on the wire). */
export interface SubscribeOverride {
  presence?: boolean;
  join_leave?: boolean;
  force_push_join_leave?: boolean;
  force_positioning?: boolean;
  force_recovery?: boolean;
}

/** One server-side subscription from a connection token's `subs` claim. */
export interface TokenSubscription {
  /** Channel info (JSON text bytes from `info`, or bytes from `b64info`). */
  info?: Uint8Array;
  /** Data for the subscribe push (JSON text bytes from `data`, or bytes from `b64data`). */
  data?: Uint8Array;
  override?: SubscribeOverride;
}

/** Claims of a verified connection token. */
export interface ConnectionClaims {
  /** The user ("" = anonymous); from `sub`, or from the claim named by `user_id_claim`. */
  sub: string;
  /** Seconds since the epoch; absent = the token never expires. */
  exp?: number;
  iat?: number;
  jti?: string;
  /** Connection info: JSON text bytes of `info`, or the bytes of `b64info` (which wins when both are set). */
  info?: Uint8Array;
  /** Server-side subscriptions (ignored by Centrifugo when `subs` is present). */
  channels?: string[];
  subs?: Record<string, TokenSubscription>;
  /** Opaque connection metadata (JSON text bytes), never sent to clients. */
  meta?: Uint8Array;
  /** Seconds since the epoch when the connection expires; overrides `exp`; 0 = never expires. */
  expire_at?: number;
}

/** Claims of a verified subscription token. */
export interface SubscriptionClaims {
  sub: string;
  channel: string;
  /** When set, only this client ID may use the token. */
  client?: string;
  exp?: number;
  iat?: number;
  jti?: string;
  /** Channel info: JSON text bytes of `info`, or the bytes of `b64info`. */
  info?: Uint8Array;
  /** Subscribe result data: JSON text bytes of `data`, or the bytes of `b64data`. */
  data?: Uint8Array;
  /** Seconds since the epoch when the subscription expires; overrides `exp`; 0 = never expires. */
  expire_at?: number;
  override?: SubscribeOverride;
}

const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not valid base64');
const numericDate = z.number().finite();
const boolValue = z.object({ value: z.boolean().optional() }).optional();
const overrideSchema = z
  .object({
    presence: boolValue,
    join_leave: boolValue,
    force_push_join_leave: boolValue,
    force_positioning: boolValue,
    force_recovery: boolValue,
  })
  .optional();

const registered = {
  sub: z.string().optional(),
  exp: numericDate.optional(),
  iat: numericDate.optional(),
  nbf: numericDate.optional(),
  jti: z.string().optional(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  expire_at: z.number().int().optional(),
  info: z.unknown().optional(),
  b64info: base64.optional(),
};

const subscribeOptions = z.object({
  info: z.unknown().optional(),
  b64info: base64.optional(),
  data: z.unknown().optional(),
  b64data: base64.optional(),
  override: overrideSchema,
});

export const rawConnectionClaims = z.object({
  ...registered,
  channels: z.array(z.string()).optional(),
  subs: z.record(z.string(), subscribeOptions).optional(),
  meta: z.unknown().optional(),
  channel: z.string().optional(),
});

export const rawSubscriptionClaims = z.object({
  ...registered,
  channel: z.string().optional(),
  client: z.string().optional(),
  data: z.unknown().optional(),
  b64data: base64.optional(),
  override: overrideSchema,
});

export type RawConnectionClaims = z.output<typeof rawConnectionClaims>;
export type RawSubscriptionClaims = z.output<typeof rawSubscriptionClaims>;

const encoder = new TextEncoder();

/** A JSON claim as its JSON text bytes, or the base64 twin's bytes when that is set (Centrifugo's precedence). */
export function jsonOrBase64(json: unknown, b64: string | undefined): Uint8Array | undefined {
  if (b64) return new Uint8Array(Buffer.from(b64, 'base64'));
  if (json === undefined || json === null) return undefined;
  return encoder.encode(JSON.stringify(json));
}

export function flattenOverride(raw: z.output<typeof overrideSchema>): SubscribeOverride | undefined {
  if (!raw) return undefined;
  const out: SubscribeOverride = {};
  for (const key of ['presence', 'join_leave', 'force_push_join_leave', 'force_positioning', 'force_recovery'] as const) {
    const value = raw[key]?.value;
    if (raw[key] !== undefined) out[key] = value ?? false;
  }
  return out;
}

/** The user a token names: `sub`, or the claim `userIdClaim` (strings as-is, numbers and booleans as text). */
export function userFromPayload(payload: Record<string, unknown>, userIdClaim: string): string {
  const value = payload[userIdClaim || 'sub'];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

export function toConnectionClaims(raw: RawConnectionClaims, user: string): ConnectionClaims {
  let subs: Record<string, TokenSubscription> | undefined;
  if (raw.subs) {
    subs = {};
    for (const [channel, options] of Object.entries(raw.subs)) {
      subs[channel] = defined({
        info: jsonOrBase64(options.info, options.b64info),
        data: jsonOrBase64(options.data, options.b64data),
        override: flattenOverride(options.override),
      });
    }
  }
  return defined({
    sub: user,
    exp: raw.exp,
    iat: raw.iat,
    jti: raw.jti,
    info: jsonOrBase64(raw.info, raw.b64info),
    channels: raw.channels,
    subs,
    meta: jsonOrBase64(raw.meta, undefined),
    expire_at: raw.expire_at,
  });
}

export function toSubscriptionClaims(raw: RawSubscriptionClaims, user: string, channel: string): SubscriptionClaims {
  return defined({
    sub: user,
    channel,
    client: raw.client || undefined,
    exp: raw.exp,
    iat: raw.iat,
    jti: raw.jti,
    info: jsonOrBase64(raw.info, raw.b64info),
    data: jsonOrBase64(raw.data, raw.b64data),
    expire_at: raw.expire_at,
    override: flattenOverride(raw.override),
  });
}

/** `unavailable`: the token could not be checked right now (JWKS endpoint down); the client should retry. */
export type TokenFailure = { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; message: string };
export type TokenResult<T> = { ok: true; claims: T } | TokenFailure;

export function invalid(message: string): TokenFailure {
  return { ok: false, reason: 'invalid', message };
}

export function expired(message: string): TokenFailure {
  return { ok: false, reason: 'expired', message };
}

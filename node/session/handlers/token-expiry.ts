/** Expiry in ms from token claims: `expire_at` wins over `exp` (0 there means "never"); 0 = never. */
export function expiryFromClaims(claims: { exp?: number; expire_at?: number }): number {
  if (claims.expire_at !== undefined) return claims.expire_at > 0 ? claims.expire_at * 1000 : 0;
  return claims.exp !== undefined && claims.exp > 0 ? claims.exp * 1000 : 0;
}

/** Seconds left until `expireAt` (rounded up, at least 1), as the protocol's `ttl`. */
export function ttlSeconds(expireAt: number, now: number): number {
  return Math.max(1, Math.ceil((expireAt - now) / 1000));
}

import { createHmac, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCompactJwt, type CompactJwt } from '../../../../src/auth/compact-jwt.js';
import { verifyJwsSignature } from '../../../../src/auth/jws-signature.js';
import { createTokenVerifier } from '../../../../src/auth/token-verifier.js';
import { configWith, hs256, p256, p384, pem, rawToken, rsa, secret, sign } from './auth-fixtures.js';

// Tokens are signed by jose (an independent implementation) and checked by the node:crypto verifier.
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const hmac = createSecretKey(Buffer.from(secret));

function parsed(token: string): CompactJwt {
  const jwt = parseCompactJwt(token);
  if ('ok' in jwt) throw new Error(jwt.message);
  return jwt;
}

const cases: Array<[alg: string, signWith: KeyObject | string, verifyWith: KeyObject]> = [
  ['HS256', secret, hmac],
  ['HS384', secret, hmac],
  ['HS512', secret, hmac],
  ['RS256', rsa.privateKey, rsa.publicKey],
  ['RS384', rsa.privateKey, rsa.publicKey],
  ['RS512', rsa.privateKey, rsa.publicKey],
  ['PS256', rsa.privateKey, rsa.publicKey],
  ['PS384', rsa.privateKey, rsa.publicKey],
  ['PS512', rsa.privateKey, rsa.publicKey],
  ['ES256', p256.privateKey, p256.publicKey],
  ['ES384', p384.privateKey, p384.publicKey],
  ['ES512', p521.privateKey, p521.publicKey],
];

describe('verifyJwsSignature', () => {
  it.each(cases)('%s: accepts jose\'s signature and rejects a changed payload or signature', async (alg, signWith, verifyWith) => {
    const jwt = parsed(await sign({ sub: 'alice' }, alg, signWith));
    expect(verifyJwsSignature(alg, verifyWith, jwt.signingInput, jwt.signature)).toBe(true);
    expect(verifyJwsSignature(alg, verifyWith, `${jwt.signingInput}x`, jwt.signature)).toBe(false);
    const flipped = Buffer.from(jwt.signature);
    flipped[flipped.length - 1]! ^= 1;
    expect(verifyJwsSignature(alg, verifyWith, jwt.signingInput, flipped)).toBe(false);
    expect(verifyJwsSignature(alg, verifyWith, jwt.signingInput, jwt.signature.subarray(1))).toBe(false);
  });
  it('an algorithm it does not know verifies nothing', async () => {
    const jwt = parsed(await hs256({ sub: 'a' }));
    for (const alg of ['none', 'HS', 'HS1', 'XS256', '']) {
      expect(verifyJwsSignature(alg, hmac, jwt.signingInput, jwt.signature), alg).toBe(false);
    }
  });
});

describe('parseCompactJwt', () => {
  it('refuses parts that are not strict base64url JSON objects', () => {
    const good = rawToken({ alg: 'HS256' }, { sub: 'a' }, 'c2ln');
    expect('ok' in parseCompactJwt(good)).toBe(false);
    for (const bad of [
      good.replace('.', '.+'),
      rawToken({ alg: 'HS256' }, [1, 2], 'c2ln'),
      rawToken({ alg: 'HS256' }, 'text', 'c2ln'),
      rawToken(null, { sub: 'a' }, 'c2ln'),
      `${good}=`,
      `${good}.x`,
    ]) {
      expect(parseCompactJwt(bad), bad).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });
});

describe('header and claim checks of the node:crypto path', () => {
  const verifier = createTokenVerifier(configWith({ 'client.token.hmac_secret_key': secret, 'client.token.ecdsa_public_key': pem(p256.publicKey) }));
  it('a token with a "crit" header is refused, though its signature is good', async () => {
    const signed = (header: Record<string, unknown>): string => {
      const unsigned = rawToken(header, { sub: 'a' });
      return `${unsigned}${createHmac('sha256', secret).update(unsigned.slice(0, -1)).digest('base64url')}`;
    };
    expect((await verifier.verifyConnectionToken(signed({ alg: 'HS256', x: 1 }))).ok).toBe(true);
    expect(await verifier.verifyConnectionToken(signed({ alg: 'HS256', crit: ['x'], x: 1 }))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'the "crit" header parameter is not supported',
    });
  });
  it('a non-numeric iat or exp is invalid, not expired', async () => {
    expect(await verifier.verifyConnectionToken(await hs256({ sub: 'a', iat: 'yesterday' }))).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('exp equal to now is expired (jose\'s rule, no tolerance)', async () => {
    const now = Date.now();
    const at = createTokenVerifier(configWith({ 'client.token.hmac_secret_key': secret }), () => now);
    const exp = Math.floor(now / 1000);
    expect(await at.verifyConnectionToken(await hs256({ sub: 'a', exp }))).toMatchObject({ ok: false, reason: 'expired' });
    expect((await at.verifyConnectionToken(await hs256({ sub: 'a', exp: exp + 1 }))).ok).toBe(true);
  });
});

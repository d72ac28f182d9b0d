import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/auth/token-verifier.js';
import {
  configWith,
  ed25519,
  hs256,
  nowSeconds,
  otherRsa,
  otherSecret,
  p256,
  p384,
  pem,
  rawToken,
  rsa,
  secret,
  sign,
} from './auth-fixtures.js';

const hmacOnly = createTokenVerifier(configWith({ 'client.token.hmac_secret_key': secret }));
const rsaOnly = createTokenVerifier(configWith({ 'client.token.rsa_public_key': pem(rsa.publicKey) }));
const everything = createTokenVerifier(
  configWith({
    'client.token.hmac_secret_key': secret,
    'client.token.rsa_public_key': pem(rsa.publicKey),
    'client.token.ecdsa_public_key': pem(p256.publicKey),
    'ringcast.client.token.ed25519_public_key': pem(ed25519.publicKey),
  }),
);

describe('valid tokens', () => {
  it('HS256, HS384 and HS512 with the HMAC secret', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const result = await hmacOnly.verifyConnectionToken(await sign({ sub: 'alice' }, alg, secret));
      expect(result, alg).toEqual({ ok: true, claims: { sub: 'alice' } });
    }
  });
  it('RS256/RS512/PS256 with the RSA key, ES256 with a P-256 key, EdDSA with the Ed25519 PEM', async () => {
    for (const [alg, key] of [
      ['RS256', rsa.privateKey],
      ['RS512', rsa.privateKey],
      ['PS256', rsa.privateKey],
      ['ES256', p256.privateKey],
      ['EdDSA', ed25519.privateKey],
    ] as const) {
      const result = await everything.verifyConnectionToken(await sign({ sub: 'bob', exp: nowSeconds() + 60 }, alg, key));
      expect(result.ok, alg).toBe(true);
    }
  });
  it('ES384 with a P-384 key', async () => {
    const verifier = createTokenVerifier(configWith({ 'client.token.ecdsa_public_key': pem(p384.publicKey) }));
    expect((await verifier.verifyConnectionToken(await sign({ sub: 'c' }, 'ES384', p384.privateKey))).ok).toBe(true);
    expect((await verifier.verifyConnectionToken(await sign({ sub: 'c' }, 'ES256', p256.privateKey))).ok).toBe(false);
  });
});

describe('rejected tokens', () => {
  it('expired → reason "expired"; not yet valid (nbf) → "expired" as in Centrifugo', async () => {
    const expired = await hmacOnly.verifyConnectionToken(await hs256({ sub: 'a', exp: nowSeconds() - 10 }));
    expect(expired).toMatchObject({ ok: false, reason: 'expired' });
    const early = await hmacOnly.verifyConnectionToken(await hs256({ sub: 'a', nbf: nowSeconds() + 600 }));
    expect(early).toMatchObject({ ok: false, reason: 'expired' });
  });
  it('an expired token with a bad signature is "invalid", not "expired"', async () => {
    const token = await hs256({ sub: 'a', exp: nowSeconds() - 10 }, otherSecret);
    expect(await hmacOnly.verifyConnectionToken(token)).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('wrong keys → "invalid"', async () => {
    expect(await hmacOnly.verifyConnectionToken(await hs256({ sub: 'a' }, otherSecret))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'signature verification failed',
    });
    const wrongRsa = await sign({ sub: 'a' }, 'RS256', otherRsa.privateKey);
    expect(await rsaOnly.verifyConnectionToken(wrongRsa)).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('alg "none" is never accepted', async () => {
    const unsigned = rawToken({ alg: 'none', typ: 'JWT' }, { sub: 'mallory' });
    for (const verifier of [hmacOnly, rsaOnly, everything]) {
      expect(await verifier.verifyConnectionToken(unsigned)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await verifier.verifySubscriptionToken(rawToken({ alg: 'none' }, { sub: '', channel: '$x' }))).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    }
  });
  it('HS256 "signed" with the RSA public key PEM as the HMAC secret is rejected', async () => {
    const forged = await sign({ sub: 'mallory' }, 'HS256', pem(rsa.publicKey));
    expect(await rsaOnly.verifyConnectionToken(forged)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await everything.verifyConnectionToken(forged)).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('a family without a configured key is rejected', async () => {
    expect(await hmacOnly.verifyConnectionToken(await sign({ sub: 'a' }, 'RS256', rsa.privateKey))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(await rsaOnly.verifyConnectionToken(await sign({ sub: 'a' }, 'ES256', p256.privateKey))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });
  it('no key configured at all → every token is invalid', async () => {
    const none = createTokenVerifier(configWith({}));
    expect(await none.verifyConnectionToken(await hs256({ sub: 'a' }))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'no token verification key is configured',
    });
  });
  it('malformed strings → "invalid"', async () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', 'a.b.c.d', rawToken('not json', { sub: 'a' }), `${rawToken({ alg: 'HS256' }, 'x')}sig`]) {
      expect(await hmacOnly.verifyConnectionToken(bad), bad).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await hmacOnly.verifySubscriptionToken(bad), bad).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });
});

describe('HMAC key rotation', () => {
  it('accepts the previous secret until hmac_previous_secret_key_valid_until', async () => {
    const rotating = (validUntil: number) =>
      createTokenVerifier(
        configWith({
          'client.token.hmac_secret_key': otherSecret,
          'client.token.hmac_previous_secret_key': secret,
          'client.token.hmac_previous_secret_key_valid_until': validUntil,
        }),
      );
    const oldToken = await hs256({ sub: 'a' }, secret);
    expect((await rotating(0).verifyConnectionToken(oldToken)).ok).toBe(true);
    expect((await rotating(nowSeconds() + 60).verifyConnectionToken(oldToken)).ok).toBe(true);
    expect(await rotating(nowSeconds() - 60).verifyConnectionToken(oldToken)).toMatchObject({ ok: false, reason: 'invalid' });
    expect((await rotating(0).verifyConnectionToken(await hs256({ sub: 'a' }, otherSecret))).ok).toBe(true);
    const expiredOld = await hs256({ sub: 'a', exp: nowSeconds() - 5 }, secret);
    expect(await rotating(0).verifyConnectionToken(expiredOld)).toMatchObject({ ok: false, reason: 'expired' });
  });
});

describe('subscription token keys', () => {
  it('use the connection token keys unless client.subscription_token.enabled', async () => {
    const shared = createTokenVerifier(configWith({ 'client.token.hmac_secret_key': secret }));
    expect((await shared.verifySubscriptionToken(await hs256({ sub: 'a', channel: '$c' }))).ok).toBe(true);
  });
  it('use client.subscription_token.* when enabled', async () => {
    const separate = createTokenVerifier(
      configWith({
        'client.token.hmac_secret_key': secret,
        'client.subscription_token': { enabled: true, hmac_secret_key: otherSecret },
      }),
    );
    expect((await separate.verifySubscriptionToken(await hs256({ sub: 'a', channel: '$c' }, otherSecret))).ok).toBe(true);
    expect(await separate.verifySubscriptionToken(await hs256({ sub: 'a', channel: '$c' }, secret))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect((await separate.verifyConnectionToken(await hs256({ sub: 'a' }, secret))).ok).toBe(true);
    expect((await separate.verifyConnectionToken(await hs256({ sub: 'a' }, otherSecret))).ok).toBe(false);
  });
});

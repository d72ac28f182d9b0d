import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../../src/auth/token-verifier.js';
import { configWith, ed25519, hs256, nowSeconds, rsa, secret, sign } from './auth-fixtures.js';

let server: Server;
let endpoint: string;
let requests = 0;
let verifier: TokenVerifier;

beforeAll(async () => {
  const keys = [
    { ...(await exportJWK(ed25519.publicKey)), kid: 'ed', alg: 'EdDSA', use: 'sig' },
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', use: 'sig' },
  ];
  server = createServer((req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  verifier = createTokenVerifier(
    configWith({ 'client.token': { jwks_public_endpoint: endpoint, hmac_secret_key: secret } }),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('JWKS', () => {
  it('verifies EdDSA (OKP) tokens with keys fetched from the endpoint', async () => {
    const token = await sign({ sub: 'eve', exp: nowSeconds() + 60 }, 'EdDSA', ed25519.privateKey, { kid: 'ed' });
    expect(await verifier.verifyConnectionToken(token)).toEqual({ ok: true, claims: { sub: 'eve', exp: expect.any(Number) } });
    expect(requests).toBeGreaterThan(0);
  });
  it('verifies RS256 with an RSA key that has no "alg"', async () => {
    const token = await sign({ sub: 'r', channel: 'c' }, 'RS256', rsa.privateKey, { kid: 'rsa' });
    expect((await verifier.verifySubscriptionToken(token)).ok).toBe(true);
  });
  it('replaces the static keys: an HS256 token is refused even with hmac_secret_key set', async () => {
    expect(await verifier.verifyConnectionToken(await hs256({ sub: 'a' }))).toMatchObject({ ok: false, reason: 'invalid' });
  });
  it('refuses an unknown kid, a key of the wrong family and expired tokens', async () => {
    const unknownKid = await sign({ sub: 'a' }, 'EdDSA', ed25519.privateKey, { kid: 'nope' });
    expect(await verifier.verifyConnectionToken(unknownKid)).toMatchObject({ ok: false, reason: 'invalid' });
    const wrongFamily = await sign({ sub: 'a' }, 'PS256', rsa.privateKey, { kid: 'ed' });
    expect(await verifier.verifyConnectionToken(wrongFamily)).toMatchObject({ ok: false, reason: 'invalid' });
    const expired = await sign({ sub: 'a', exp: nowSeconds() - 5 }, 'EdDSA', ed25519.privateKey, { kid: 'ed' });
    expect(await verifier.verifyConnectionToken(expired)).toMatchObject({ ok: false, reason: 'expired' });
  });
  it('an unreachable endpoint makes tokens "unavailable" (retry later) without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createTokenVerifier(configWith({ 'client.token.jwks_public_endpoint': `http://127.0.0.1:${port}/jwks` }));
    const token = await sign({ sub: 'a' }, 'EdDSA', ed25519.privateKey, { kid: 'ed' });
    expect(await offline.verifyConnectionToken(token)).toMatchObject({ ok: false, reason: 'unavailable' });
  });
});

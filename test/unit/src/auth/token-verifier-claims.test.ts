import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/auth/token-verifier.js';
import { configWith, hs256, nowSeconds, secret } from './auth-fixtures.js';

const verifier = createTokenVerifier(configWith({ 'client.token.hmac_secret_key': secret }));
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

describe('connection claims', () => {
  it('are typed: info as JSON bytes, channels, subs, meta, expire_at', async () => {
    const exp = nowSeconds() + 3600;
    const result = await verifier.verifyConnectionToken(
      await hs256({
        sub: 'alice',
        exp,
        iat: nowSeconds(),
        jti: 'id-1',
        info: { name: 'Alice' },
        channels: ['news', 'chat:lobby'],
        subs: {
          'chat:room': { info: { role: 'admin' }, b64data: Buffer.from([1, 2]).toString('base64'), override: { presence: { value: true }, join_leave: {} } },
        },
        meta: { plan: 'pro' },
        expire_at: exp + 60,
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const claims = result.claims;
    expect(claims.sub).toBe('alice');
    expect(claims.exp).toBe(exp);
    expect(claims.jti).toBe('id-1');
    expect(text(claims.info)).toBe('{"name":"Alice"}');
    expect(claims.channels).toEqual(['news', 'chat:lobby']);
    const sub = claims.subs?.['chat:room'];
    expect(text(sub?.info)).toBe('{"role":"admin"}');
    expect([...(sub?.data ?? [])]).toEqual([1, 2]);
    expect(sub?.override).toEqual({ presence: true, join_leave: false });
    expect(text(claims.meta)).toBe('{"plan":"pro"}');
    expect(claims.expire_at).toBe(exp + 60);
  });
  it('b64info wins over info; an absent sub means anonymous', async () => {
    const result = await verifier.verifyConnectionToken(await hs256({ info: { a: 1 }, b64info: Buffer.from('raw').toString('base64') }));
    expect(result.ok && text(result.claims.info)).toBe('raw');
    expect(result.ok && result.claims.sub).toBe('');
  });
  it('keeps expire_at 0 (never expires) for the server to honour', async () => {
    const result = await verifier.verifyConnectionToken(await hs256({ sub: 'a', expire_at: 0 }));
    expect(result.ok && result.claims.expire_at).toBe(0);
  });
  it('wrong claim types → "invalid"', async () => {
    const bad: Record<string, unknown>[] = [
      { sub: 42 },
      { sub: 'a', exp: 'tomorrow' },
      { sub: 'a', channels: 'news' },
      { sub: 'a', channels: [1] },
      { sub: 'a', subs: ['chat'] },
      { sub: 'a', subs: { chat: { b64data: '%%' } } },
      { sub: 'a', subs: { chat: { override: { presence: { value: 'yes' } } } } },
      { sub: 'a', b64info: 'not base64!' },
      { sub: 'a', expire_at: 1.5 },
      { sub: 'a', expire_at: '0' },
      { sub: 'a', jti: 7 },
      { sub: 'a', aud: 5 },
    ];
    for (const claims of bad) {
      expect(await verifier.verifyConnectionToken(await hs256(claims)), JSON.stringify(claims)).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    }
  });
  it('a connection token must not carry a channel claim', async () => {
    expect(await verifier.verifyConnectionToken(await hs256({ sub: 'a', channel: 'x' }))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'a connection token must not contain a channel claim',
    });
  });
  it('user_id_claim names the user claim', async () => {
    const custom = createTokenVerifier(configWith({ 'client.token': { hmac_secret_key: secret, user_id_claim: 'user_id' } }));
    const result = await custom.verifyConnectionToken(await hs256({ sub: 'ignored', user_id: 'u-7' }));
    expect(result.ok && result.claims.sub).toBe('u-7');
    const numeric = await custom.verifyConnectionToken(await hs256({ user_id: 77 }));
    expect(numeric.ok && numeric.claims.sub).toBe('77');
  });
});

describe('subscription claims', () => {
  it('are typed: channel, client, info, data, override, expire_at', async () => {
    const result = await verifier.verifySubscriptionToken(
      await hs256({
        sub: 'alice',
        channel: '$private',
        client: 'client-1',
        info: { seat: 3 },
        data: { welcome: true },
        override: { force_recovery: { value: true } },
        expire_at: nowSeconds() + 10,
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims).toMatchObject({ sub: 'alice', channel: '$private', client: 'client-1', override: { force_recovery: true } });
    expect(text(result.claims.info)).toBe('{"seat":3}');
    expect(text(result.claims.data)).toBe('{"welcome":true}');
  });
  it('need a channel claim; an expired one is "expired" first, as in Centrifugo', async () => {
    expect(await verifier.verifySubscriptionToken(await hs256({ sub: 'a' }))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await verifier.verifySubscriptionToken(await hs256({ sub: 'a', exp: nowSeconds() - 1 }))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(await verifier.verifySubscriptionToken(await hs256({ sub: 'a', channel: 5 }))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('audience and issuer', () => {
  const strict = createTokenVerifier(configWith({ 'client.token': { hmac_secret_key: secret, audience: 'app', issuer: 'idp' } }));
  const patterns = createTokenVerifier(
    configWith({ 'client.token': { hmac_secret_key: secret, audience_regex: '^app-(?P<env>[a-z]+)$', issuer_regex: '^https://idp\\.' } }),
  );

  it('accept matching values (aud as string or list)', async () => {
    expect((await strict.verifyConnectionToken(await hs256({ sub: 'a', aud: 'app', iss: 'idp' }))).ok).toBe(true);
    expect((await strict.verifyConnectionToken(await hs256({ sub: 'a', aud: ['x', 'app'], iss: 'idp' }))).ok).toBe(true);
    expect((await patterns.verifyConnectionToken(await hs256({ sub: 'a', aud: 'app-prod', iss: 'https://idp.example' }))).ok).toBe(true);
  });
  it('reject wrong or missing values as "invalid"', async () => {
    for (const claims of [
      { sub: 'a', aud: 'other', iss: 'idp' },
      { sub: 'a', aud: 'app', iss: 'other' },
      { sub: 'a', iss: 'idp' },
      { sub: 'a', aud: 'app' },
    ]) {
      expect(await strict.verifyConnectionToken(await hs256(claims)), JSON.stringify(claims)).toMatchObject({ ok: false, reason: 'invalid' });
    }
    for (const claims of [
      { sub: 'a', aud: 'app-PROD', iss: 'https://idp.example' },
      { sub: 'a', aud: 'app-prod', iss: 'http://idp.example' },
      { sub: 'a', aud: 'app-prod' },
    ]) {
      expect(await patterns.verifyConnectionToken(await hs256(claims)), JSON.stringify(claims)).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });
  it('a wrong audience on an expired token is "invalid"', async () => {
    const token = await hs256({ sub: 'a', aud: 'other', iss: 'idp', exp: nowSeconds() - 5 });
    expect(await strict.verifyConnectionToken(token)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

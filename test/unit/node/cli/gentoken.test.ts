import { describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { UsageError } from '../../../../node/cli/args.js';
import { NoHmacSecretError, generateConnectionToken, parseInfo, parseTtlSeconds } from '../../../../node/cli/gentoken.js';
import { createTokenVerifier } from '../../../../src/auth/token-verifier.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const secret = 'gentoken-test-secret-0123456789abcdef';
const config = (token: Record<string, unknown>) => loadConfig({ env: {}, overrides: { 'client.token': token } }).config;

describe('parseTtlSeconds', () => {
  it('reads Go durations and plain seconds; 0 or negative means no expiry', () => {
    expect(parseTtlSeconds('1h')).toBe(3600);
    expect(parseTtlSeconds('1m30s')).toBe(90);
    expect(parseTtlSeconds('3600')).toBe(3600);
    expect(parseTtlSeconds('0')).toBe(0);
    expect(parseTtlSeconds('-1')).toBe(0);
    expect(() => parseTtlSeconds('soon')).toThrow(UsageError);
  });
});

describe('parseInfo', () => {
  it('parses JSON or refuses', () => {
    expect(parseInfo('{"name":"Alice"}')).toEqual({ name: 'Alice' });
    expect(parseInfo(undefined)).toBeUndefined();
    expect(() => parseInfo('{name}')).toThrow(/--info must be JSON/);
  });
});

describe('generateConnectionToken', () => {
  it('signs an HS256 token the node accepts', async () => {
    const cfg = config({ hmac_secret_key: secret });
    const now = Date.now();
    const token = await generateConnectionToken(cfg, { user: 'alice', ttlSeconds: 3600, info: { name: 'Alice' }, now });
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const claims = decodeJwt(token);
    expect(claims.sub).toBe('alice');
    expect(claims.exp).toBe(Math.floor(now / 1000) + 3600);
    expect(claims.iat).toBe(Math.floor(now / 1000));
    const verified = await createTokenVerifier(cfg).verifyConnectionToken(token);
    expect(verified.ok && new TextDecoder().decode(verified.claims.info)).toBe('{"name":"Alice"}');
  });
  it('omits exp for a TTL of 0', async () => {
    const token = await generateConnectionToken(config({ hmac_secret_key: secret }), { user: 'a', ttlSeconds: 0 });
    expect(decodeJwt(token).exp).toBeUndefined();
  });
  it('adds aud, iss and the user_id_claim the config requires', async () => {
    const cfg = config({ hmac_secret_key: secret, audience: 'app', issuer: 'me', user_id_claim: 'uid' });
    const token = await generateConnectionToken(cfg, { user: 'bob', ttlSeconds: 60 });
    expect(decodeJwt(token)).toMatchObject({ aud: 'app', iss: 'me', uid: 'bob' });
    const verified = await createTokenVerifier(cfg).verifyConnectionToken(token);
    expect(verified.ok && verified.claims.sub).toBe('bob');
  });
  it('needs the HMAC secret', async () => {
    await expect(generateConnectionToken(config({}), { user: 'a', ttlSeconds: 1 })).rejects.toThrow(NoHmacSecretError);
  });
});

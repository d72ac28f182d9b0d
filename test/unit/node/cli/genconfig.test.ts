import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigExistsError, generateConfig, writeNewConfigFile } from '../../../../node/cli/genconfig.js';
import { loadConfig } from '../../../../src/config/load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-genconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateConfig', () => {
  it('has random 32-byte hex secrets and loads without warnings', () => {
    const a = generateConfig({ dev: false });
    const b = generateConfig({ dev: false });
    const file = join(dir, 'prod.json');
    writeNewConfigFile(file, a);
    const { config, warnings } = loadConfig({ file, env: {} });
    expect(warnings).toEqual([]);
    expect(config.client.token.hmac_secret_key).toMatch(/^[0-9a-f]{64}$/);
    expect(config.http_api.key).toMatch(/^[0-9a-f]{64}$/);
    expect(config.client.token.hmac_secret_key).not.toBe(config.http_api.key);
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(config.ringcast.demo.enabled).toBe(false);
    expect(config.client.allowed_origins).toEqual([]);
    expect(config.health.enabled).toBe(true);
    expect(config.admin).toMatchObject({ enabled: false, password: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(config.admin.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.admin.secret).not.toBe(config.admin.password);
  });
  it('with dev: demo page, localhost origins and a default namespace the demo page can use', () => {
    const file = join(dir, 'nested', 'dev.json');
    writeNewConfigFile(file, generateConfig({ dev: true }));
    const { config, warnings } = loadConfig({ file, env: {} });
    expect(warnings).toEqual([]);
    expect(config.ringcast.demo.enabled).toBe(true);
    expect(config.admin.enabled).toBe(true);
    expect(config.client.allowed_origins).toEqual(['http://localhost:8000', 'http://127.0.0.1:8000']);
    expect(config.channel.without_namespace).toMatchObject({
      allow_subscribe_for_client: true,
      allow_publish_for_client: true,
      allow_presence_for_subscriber: true,
      allow_history_for_subscriber: true,
      presence: true,
      join_leave: true,
      history_size: 100,
      history_ttl: 300_000,
    });
  });
  it('writes YAML for a .yaml output, readable back', () => {
    const file = join(dir, 'c.yaml');
    writeNewConfigFile(file, generateConfig({ dev: false, random: () => 'r' }));
    expect(readFileSync(file, 'utf8')).toContain('hmac_secret_key: r');
    expect(loadConfig({ file, env: {} }).config.http_api.key).toBe('r');
  });
  it('never overwrites, and keeps the file private', () => {
    const file = join(dir, 'exists.json');
    writeFileSync(file, 'keep me');
    expect(() => writeNewConfigFile(file, generateConfig({ dev: false }))).toThrow(ConfigExistsError);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const fresh = join(dir, 'fresh.json');
    writeNewConfigFile(fresh, generateConfig({ dev: false }));
    expect(statSync(fresh).mode & 0o077).toBe(0);
  });
});

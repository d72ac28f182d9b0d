import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFile } from '../../../../node/cli/checkconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'ringcast-checkconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('checkConfigFile', () => {
  it('prints warnings, then "config is valid"', () => {
    const file = write('ok.json', { http_api: { key: 'k' }, client: { ping_intervall: '1s' } });
    expect(checkConfigFile(file, {})).toEqual({
      ok: true,
      stdout: ['warning: unknown config key client.ping_intervall (did you mean client.ping_interval?); it is ignored', 'config is valid'],
      stderr: [],
    });
  });
  it('reports an invalid value', () => {
    const file = write('bad.json', { channel: { namespaces: [{ name: 'chat', history_size: 'ten' }] } });
    expect(checkConfigFile(file, {})).toEqual({
      ok: false,
      stdout: [],
      stderr: ['ringcast: invalid config: config key channel.namespaces[0].history_size: expected a number, got "ten"'],
    });
  });
  it('reports a missing file and honours the environment', () => {
    expect(checkConfigFile(join(dir, 'none.json'), {}).stderr[0]).toMatch(/none.json: no such file/);
    const file = write('env.json', { http_api: { key: 'k' } });
    expect(checkConfigFile(file, { RINGCAST_HTTP_SERVER_PORT: 'x' }).ok).toBe(false);
  });
});

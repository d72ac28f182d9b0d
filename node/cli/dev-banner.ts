import type { RingcastConfig } from '../../src/config/config-schema.js';
import { generateConnectionToken } from './gentoken.js';

export const demoUser = 'demo-user';
export const demoChannel = 'chat';

function hostFor(config: RingcastConfig): string {
  const address = config.http_server.address;
  if (address === '' || address === '0.0.0.0' || address === '::') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}

/** Development banner for `serve --dev-banner`: where to look, the API key, a sample token and a curl publish. */
export async function devBanner(config: RingcastConfig, port: number, now?: number): Promise<string> {
  const base = `http://${hostFor(config)}:${port}`;
  const token = config.client.token.hmac_secret_key
    ? await generateConnectionToken(config, { user: demoUser, ttlSeconds: 3600, now })
    : null;
  const key = config.http_api.key;
  const lines = ['', `Ringcast is running at ${base}`];
  if (config.ringcast.demo.enabled) {
    const query = token ? `?channel=${demoChannel}&token=${token}` : `?channel=${demoChannel}`;
    lines.push(`  Demo page:   ${base}/${query}`);
  } else {
    lines.push('  Demo page:   off (set ringcast.demo.enabled: true)');
  }
  if (config.admin.enabled) {
    const login = config.admin.insecure ? '(no login: admin.insecure)' : `password ${config.admin.password}`;
    lines.push(`  Admin UI:    ${base}${config.admin.handler_prefix.replace(/\/+$/, '')}/admin/  ${login}`);
  } else {
    lines.push('  Admin UI:    off (set admin.enabled: true, admin.password and admin.secret)');
  }
  lines.push(`  API key:     ${key || '(none: set http_api.key)'}`);
  if (token) {
    lines.push(`  Connection token for user "${demoUser}" (valid 1h):`, `    ${token}`);
  } else {
    lines.push('  Connection token: unavailable (no client.token.hmac_secret_key)');
  }
  const body = JSON.stringify({ channel: demoChannel, data: { text: 'hello from curl' } });
  lines.push(
    `  Publish to channel "${demoChannel}":`,
    `    curl -X POST ${base}${config.http_api.handler_prefix}/publish -H "X-API-Key: ${key}" -d '${body}'`,
    '',
  );
  return lines.join('\n');
}

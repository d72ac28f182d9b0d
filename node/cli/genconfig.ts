import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { stringify as toYaml } from 'yaml';

/** The file already exists; genconfig never overwrites (secrets in it may be in use). */
export class ConfigExistsError extends Error {
  readonly code = 'CONFIG_EXISTS';
  readonly file: string;
  constructor(file: string, options?: { cause?: unknown }) {
    super(`${file} already exists; refusing to overwrite it (choose another --output or remove the file)`, options);
    this.name = 'ConfigExistsError';
    this.file = file;
  }
}

function randomHex(): string {
  return randomBytes(32).toString('hex');
}

/**
 * A new config with a random 32-byte HMAC secret, API key, admin password and admin secret, health and metrics
 * endpoints on. With `dev`: the admin UI, the demo page, localhost origins, and a default namespace where the demo page (anonymous or with a token) can
 * subscribe, publish and see presence, join/leave and history.
 */
export function generateConfig(options: { dev: boolean; random?: () => string }): Record<string, unknown> {
  const random = options.random ?? randomHex;
  const config: Record<string, unknown> = {
    client: {
      token: { hmac_secret_key: random() },
      allowed_origins: options.dev ? ['http://localhost:8000', 'http://127.0.0.1:8000'] : [],
      ...(options.dev ? { allow_anonymous_connect_without_token: true } : {}),
    },
    http_api: { key: random() },
    // As Centrifugo's genconfig: an admin password and session secret, the UI on only in development.
    admin: { enabled: options.dev, password: random(), secret: random() },
    health: { enabled: true },
    prometheus: { enabled: true },
  };
  if (options.dev) {
    config['channel'] = {
      without_namespace: {
        presence: true,
        join_leave: true,
        history_size: 100,
        history_ttl: '300s',
        allow_subscribe_for_client: true,
        allow_subscribe_for_anonymous: true,
        allow_publish_for_client: true,
        allow_publish_for_anonymous: true,
        allow_presence_for_subscriber: true,
        allow_history_for_subscriber: true,
      },
    };
    config['ringcast'] = { demo: { enabled: true } };
  }
  return config;
}

/** The config as file text: YAML for .yaml/.yml, JSON otherwise. */
export function renderConfig(file: string, config: Record<string, unknown>): string {
  const ext = extname(file).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? toYaml(config) : `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes a new config file (mode 0600, parent directories created); throws ConfigExistsError if present. */
export function writeNewConfigFile(file: string, config: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, renderConfig(file, config), { flag: 'wx', mode: 0o600 });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') throw new ConfigExistsError(file, { cause });
    throw cause;
  }
}

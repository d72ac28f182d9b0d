/** An invalid configuration value: which key (dotted path, `[i]` for array items) and what is wrong with it. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(key === '' ? reason : `config key ${key}: ${reason}`, options);
    this.name = 'ConfigError';
    this.key = key;
    this.reason = reason;
  }
}

/**
 * A config file that cannot be read or parsed (no single key to blame). A ConfigError too, with an empty `key`,
 * so callers handle every "the configuration is unusable" case with one `instanceof ConfigError`.
 */
export class ConfigFileError extends ConfigError {
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('', `config file ${file}: ${reason}`, options);
    this.name = 'ConfigFileError';
    this.file = file;
  }
}

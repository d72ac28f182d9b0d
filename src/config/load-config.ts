import { refuseAccessControlKeys } from './access-control-keys.js';
import { ConfigError } from './config-error.js';
import { configSchema, type RingcastConfig } from './config-schema.js';
import { readEnvOverrides } from './env-overrides.js';
import { issueReason } from './issue-reason.js';
import { formatPath, getPath, setPath, type RawObject } from './raw-tree.js';
import { readConfigFile } from './read-config-file.js';
import { configTree, type SchemaNode } from './schema-tree.js';
import { unknownKeyWarnings } from './unknown-keys.js';
import { configAdvisories, validateConfig } from './validate-config.js';

export interface LoadConfigOptions {
  /** JSON or YAML file (by extension; otherwise sniffed). */
  file?: string;
  /** The file's content as an object, for configuration that does not come from a file (wins over `file`). */
  raw?: Record<string, unknown>;
  /** The environment (pass process.env): RINGCAST_<PATH> and, with lower precedence, CENTRIFUGO_<PATH>. */
  env: Record<string, string | undefined>;
  /** Values from command-line flags by dotted key path, e.g. { "http_server.port": 9000 }; highest precedence. */
  overrides?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: RingcastConfig;
  /** Unknown or unsupported keys and variables, and risky settings; loading went on regardless. */
  warnings: string[];
}

function knownPath(root: SchemaNode, segments: readonly string[]): boolean {
  let node: SchemaNode | undefined = root;
  for (const segment of segments) node = node?.type === 'object' ? node.children.get(segment) : undefined;
  return node !== undefined;
}

/**
 * Loads the node configuration: defaults < file < CENTRIFUGO_* env < RINGCAST_* env < overrides. Throws
 * ConfigError (code CONFIG_INVALID, with the dotted key) for an invalid value and for a Centrifugo key that decides
 * access but is not supported yet (access-control-keys.ts); other unknown or unsupported keys only warn.
 */
export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const root = configTree();
  const raw: RawObject = opts.raw ? structuredClone(opts.raw) : opts.file ? readConfigFile(opts.file) : {};
  // Keys that decide who gets in must not be ignored: stop before anything else.
  refuseAccessControlKeys(raw, opts.env);
  const warnings = unknownKeyWarnings(raw, root);
  /** Where a key's value came from when not from the file, for error messages. */
  const sources = new Map<string, string>();

  for (const prefix of ['CENTRIFUGO_', 'RINGCAST_']) {
    const fromEnv = readEnvOverrides(opts.env, prefix, root, { extensionShortcut: prefix === 'RINGCAST_' });
    warnings.push(...fromEnv.warnings);
    for (const override of fromEnv.overrides) {
      setPath(raw, override.path, override.value);
      sources.set(override.path.join('.'), `environment variable ${override.variable}`);
    }
  }
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    if (value === undefined) continue;
    const segments = key.split('.');
    if (!knownPath(root, segments)) {
      warnings.push(`override for unknown config key ${key} is ignored`);
      continue;
    }
    setPath(raw, segments, value);
    sources.set(key, 'command-line flag');
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ConfigError('', 'invalid configuration');
    const key = formatPath(issue.path);
    let reason = issueReason(issue, getPath(raw, issue.path));
    for (const [sourceKey, source] of sources) {
      if (key === sourceKey || key.startsWith(`${sourceKey}.`) || key.startsWith(`${sourceKey}[`)) {
        reason += ` (from ${source})`;
        break;
      }
    }
    throw new ConfigError(key, reason, { cause: parsed.error });
  }
  const config = parsed.data;
  validateConfig(config);
  warnings.push(...configAdvisories(config));
  return { config, warnings };
}

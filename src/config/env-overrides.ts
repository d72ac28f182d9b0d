import { ConfigError } from './config-error.js';
import { editDistance, typoBudget } from './edit-distance.js';
import { leafPaths, type SchemaNode } from './schema-tree.js';

/** One configuration value taken from an environment variable. */
export interface EnvOverride {
  /** Key path segments, e.g. ["http_server", "port"]. */
  path: string[];
  value: unknown;
  /** The variable's name, e.g. "RINGCAST_HTTP_SERVER_PORT". */
  variable: string;
}

/**
 * Finds the key path an environment name stands for by walking the schema's keys (keys contain underscores,
 * so "client_token_hmac_secret_key" cannot simply be split). Longer key names are tried first.
 */
export function resolveEnvPath(name: string, node: SchemaNode): string[] | null {
  if (node.type !== 'object') return null;
  const keys = [...node.children.keys()].sort((a, b) => b.length - a.length);
  for (const key of keys) {
    const child = node.children.get(key);
    if (!child) continue;
    if (name === key) return [key];
    if (name.startsWith(`${key}_`) && child.type === 'object') {
      const rest = resolveEnvPath(name.slice(key.length + 1), child);
      if (rest) return [key, ...rest];
    }
  }
  return null;
}

function nodeAt(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) node = node?.type === 'object' ? node.children.get(segment) : undefined;
  return node;
}

function parseJson(text: string, key: string, variable: string, expected: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConfigError(key, `expected ${expected} as JSON, got ${JSON.stringify(text)} (from ${variable})`, { cause });
  }
}

/** Turns the variable's text into the value a config file would hold at that key. */
function envValue(node: SchemaNode, text: string, key: string, variable: string): unknown {
  if (node.type === 'object') return parseJson(text, key, variable, 'an object');
  if (node.type === 'list') return parseJson(text, key, variable, 'a list');
  switch (node.kind) {
    case 'string-list': {
      const trimmed = text.trim();
      if (trimmed.startsWith('[')) return parseJson(trimmed, key, variable, 'a list');
      return trimmed.split(/[\s,]+/).filter((item) => item !== '');
    }
    case 'json':
      return parseJson(text, key, variable, 'a value');
    default:
      return text; // numbers, booleans and durations are coerced from text by the schema
  }
}

function envName(prefix: string, path: string): string {
  return prefix + path.replace(/\./g, '_').toUpperCase();
}

/**
 * Reads `<PREFIX><PATH>` variables (e.g. RINGCAST_HTTP_SERVER_PORT). Keys under `ringcast` may omit their own
 * prefix when `extensionShortcut` is set: RINGCAST_DEMO_ENABLED = RINGCAST_RINGCAST_DEMO_ENABLED.
 */
export function readEnvOverrides(
  env: Record<string, string | undefined>,
  prefix: string,
  root: SchemaNode,
  options: { extensionShortcut: boolean },
): { overrides: EnvOverride[]; warnings: string[] } {
  const overrides: EnvOverride[] = [];
  const warnings: string[] = [];
  const extension = root.type === 'object' ? root.children.get('ringcast') : undefined;
  for (const variable of Object.keys(env).sort()) {
    const text = env[variable];
    if (!variable.startsWith(prefix) || text === undefined) continue;
    const name = variable.slice(prefix.length).toLowerCase();
    let path = resolveEnvPath(name, root);
    if (!path && options.extensionShortcut && extension) {
      const rest = resolveEnvPath(name, extension);
      if (rest) path = ['ringcast', ...rest];
    }
    if (!path) {
      warnings.push(unknownVariableWarning(variable, prefix, root));
      continue;
    }
    const node = nodeAt(root, path);
    if (!node) continue;
    overrides.push({ path, variable, value: envValue(node, text, path.join('.'), variable) });
  }
  return { overrides, warnings };
}

function unknownVariableWarning(variable: string, prefix: string, root: SchemaNode): string {
  let best: string | null = null;
  let bestDistance = typoBudget(variable) + 1;
  for (const path of leafPaths(root)) {
    const candidate = envName(prefix, path);
    const distance = editDistance(variable, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const hint = best ? ` (did you mean ${best}?)` : '';
  return `environment variable ${variable} matches no config key Ringcast supports${hint}; it is ignored`;
}
